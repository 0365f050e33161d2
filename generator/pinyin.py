"""Chinese in pinyin without tones: the city's search (data/) and the ids a clerk is shown.

pypinyin is imported on first use, not with this module: its dictionary is 56 MiB, wanted
by the workers that render estates and by a refused id's message, never by a build's main
process, which would hold it from start to end.
"""

from __future__ import annotations


def syllables(text: str) -> list[str]:
    """Each character's pinyin, other text as it is: 停车费 -> [ting, che, fei]."""
    from pypinyin import lazy_pinyin

    return list(lazy_pinyin(text))


def spoken(text: str) -> tuple[str, str]:
    """Text in pinyin, whole and by initials, word by word: 景阳花园 -> (jingyanghuayuan, jyhy)."""
    from pypinyin import Style, lazy_pinyin

    words = [w for w in text.split() if w]
    whole = " ".join("".join(lazy_pinyin(w)) for w in words)
    initials = " ".join("".join(lazy_pinyin(w, style=Style.FIRST_LETTER)) for w in words)
    return whole.lower(), initials.lower()
