"""The text rule: which characters a value may hold, and how the harmless odd ones are tidied.

Every value a firm writes ends up on a page, a sheet, a CSV file and a
feed. Some characters have no business there:

- control characters (C0 but line breaks and tabs in multi-line text, DEL,
  C1), non-characters and lone surrogates break XML, PDFs and terminals:
  T001 wherever they are;
- bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069)
  reorder what a reader sees, so that "1000" reads "0001": T002 wherever
  they are; other invisible format characters (zero-width space and
  joiners, direction marks, soft hyphen, word joiner, variation
  selectors …) are T002 in one-line values (names, ids, amounts, dates) and
  are dropped from multi-line text, where they never show;
- private-use characters show differently on every device, or as a box:
  T003 wherever they are.

U+2028 and U+2029 become a line break in multi-line text and a space in a
one-line value; Windows line ends become line breaks; a BOM at the start of
a value is dropped.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from . import i18n
from .i18n import _

# bidi embeddings, overrides and isolates: they reorder the text around them
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# invisible characters outside the format category, met in pasted text and spoofed names
_INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u2800\u3164\uffa0")
_ONE_LINE_SPACES = str.maketrans({"\u2028": " ", "\u2029": " "})
_MULTI_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029]")

# what is checked at all: anything outside printable ASCII, and the ASCII controls
_SUSPECT = re.compile(
    r"[^\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e]"
)


@dataclass(frozen=True)
class Flaw:
    """A character a value may not hold: where it is, what it is, which code."""

    index: int
    char: str
    code: str

    def message(self, in_value: bool = True) -> str:
        """What the character is and what to do, in the clerk's words; ``in_value``: say
        which character of the value it is (else the diagnostic's column points at it)."""
        name = describe(self.char)
        if self.char == "\n" and self.code == "T001":
            return _("这里只能写一行，不能换行：请把换行删掉，写在同一行里")
        if self.char == "\t" and self.code == "T001":
            return _("这里有一个制表符（Tab）：请换成空格")
        lead = _("值里第 {n} 个字符是", n=self.index + 1) if in_value else _("这个位置是")
        if self.code == "T001":
            return _(
                "{lead}看不见的控制字符 {name}，网页、公示单和表格都不能显示它：请删掉它（常见于从网页、Word 或其他系统复制的文字）",
                lead=lead,
                name=name,
            )
        if self.char in _BIDI:
            return _(
                "{lead}改变文字方向的控制字符 {name}，它能让数字和文字倒过来显示：请删掉它",
                lead=lead,
                name=name,
            )
        if self.code == "T002":
            return _(
                "{lead}看不见的字符 {name}：名称、编号、金额和日期里不能有它，请删掉它（可以把这个值删掉重新输入）",
                lead=lead,
                name=name,
            )
        return _(
            "{lead}私用区字符 {name}，不同的手机和电脑显示不同，或者显示成方框：请换成标准的字",
            lead=lead,
            name=name,
        )


# the characters a clerk meets most, by their Chinese names (English: Unicode's)
_NAMES_ZH = {
    "\x00": "空字符", "\x07": "响铃符", "\x08": "退格符", "\x1b": "转义符", "\r": "回车符",
    "\x7f": "删除符", "\x85": "下一行符", "\u00ad": "软连字符", "\u200b": "零宽空格",
    "\u200c": "零宽不连字", "\u200d": "零宽连字", "\u200e": "从左到右标记",
    "\u200f": "从右到左标记", "\u202a": "从左到右嵌入", "\u202b": "从右到左嵌入",
    "\u202c": "方向格式结束", "\u202d": "从左到右强制", "\u202e": "从右到左强制",
    "\u2060": "零宽不换行", "\u2066": "从左到右隔离", "\u2067": "从右到左隔离",
    "\u2068": "方向隔离", "\u2069": "方向隔离结束", "\ufeff": "零宽不换行空格（BOM）",
}  # fmt: skip


def describe(char: str) -> str:
    """U+202E（从右到左强制）: a character by its code point and name."""
    code = f"U+{ord(char):04X}"
    if i18n.current() == i18n.DEFAULT:
        name = _NAMES_ZH.get(char)
        return f"{code}（{name}）" if name else code
    name = unicodedata.name(char, "")
    return f"{code} ({name})" if name else code


# what any text refuses, as (first, last, code): the one table kind and without_refused read
_REFUSED: tuple[tuple[int, int, str], ...] = (
    (0x00, 0x08, "T001"),  # controls; a tab and a line break are judged apart (kind)
    (0x0B, 0x1F, "T001"),
    (0x7F, 0x9F, "T001"),
    (0xD800, 0xDFFF, "T001"),  # lone surrogates
    (0xFDD0, 0xFDEF, "T001"),  # non-characters, and each plane's last two below
    *((plane | 0xFFFE, plane | 0xFFFF, "T001") for plane in range(0, 0x110000, 0x10000)),
    (0x202A, 0x202E, "T002"),  # bidi embeddings and overrides (_BIDI)
    (0x2066, 0x2069, "T002"),  # and isolates
    (0xE000, 0xF8FF, "T003"),  # private use
    (0xF0000, 0x10FFFF, "T003"),
)


def kind(char: str, one_line: bool) -> str | None:
    """The code a character earns in a value (one-line or not); None when it is allowed."""
    if char in "\n\t":
        return "T001" if one_line else None
    point = ord(char)
    for first, last, code in _REFUSED:
        if first <= point <= last:
            return code
    if one_line and _invisible(char):
        return "T002"
    return None


def _invisible(char: str) -> bool:
    return (
        char in _INVISIBLE
        or unicodedata.category(char) == "Cf"
        or 0xFE00 <= ord(char) <= 0xFE0F
        or 0xE0100 <= ord(char) <= 0xE01EF
    )


def plain(text: str) -> bool:
    """Whether the text holds nothing the rule looks at: tidy leaves it as it is, and flaws
    finds none in it."""
    return not _SUSPECT.search(text)


def tidy(text: str, one_line: bool) -> str:
    """The value as published: line separators, Windows line ends, a leading BOM and (in
    multi-line text) invisible format characters dealt with; see the module's rule."""
    if not _SUSPECT.search(text):
        return text
    text = text.removeprefix("\ufeff")
    if one_line:
        return text.translate(_ONE_LINE_SPACES)
    text = _MULTI_LINE_BREAKS.sub("\n", text)
    return "".join(c for c in text if not (_invisible(c) and c not in _BIDI))


def flaws(text: str, one_line: bool) -> list[Flaw]:
    """Every character of a (tidied) value the text rule refuses, in order."""
    if not _SUSPECT.search(text):
        return []
    found = []
    for index, char in enumerate(text):
        code = kind(char, one_line)
        if code is not None:
            found.append(Flaw(index, char, code))
    return found


# a character reference in Markdown or HTML (&#x202E; &#8238; &rlm;): the page shows the
# character it names, so the rule holds for it as for the character typed
_REFERENCE = re.compile(r"&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,9}|[A-Za-z][A-Za-z0-9]{1,31});")


def referenced_flaws(text: str) -> list[tuple[int, str, Flaw]]:
    """(index, reference, flaw) of each character reference in multi-line text that names
    a character the rule refuses there."""
    if "&" not in text:
        return []
    found = []
    for match in _REFERENCE.finditer(text):
        name = match.group(1)
        if name[0] == "#":  # as a browser reads it: a noncharacter too, which html.unescape drops
            point = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
            named = chr(point) if 0 < point <= 0x10FFFF else ""
        else:
            named = html.unescape(match.group())
            if named == match.group():
                continue  # no reference a browser reads
        for char in named:
            code = kind(char, one_line=False)
            if code is not None:
                found.append((match.start(), match.group(), Flaw(0, char, code)))
                break
    return found


def without_refused(html_text: str) -> str:
    """Markup that reaches a page some other way than a checked value (a notice released
    before the rule read character references): every character the rule refuses in
    multi-line text taken out."""
    return _REFUSED_IN_TEXT.sub("", html_text)


_REFUSED_IN_TEXT = re.compile(
    "[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b, _code in _REFUSED) + "]"
)


def shown(text: str) -> str:
    """Text safe to print on a terminal: every character the rule refuses in a one-line
    value (a control, a bidi override, an invisible one) written as <U+XXXX>."""
    if not _SUSPECT.search(text):
        return text
    return "".join(
        f"<U+{ord(c):04X}>" if kind(c, True) is not None or c in "\u2028\u2029" else c for c in text
    )


# Markdown's inline patterns take time that grows faster than the text with brackets and angle
# brackets (8 KB of nested brackets took 10 s): past these, a body is shown as plain text
MARKUP_LIMIT = 200  # '[' or '<' in one body
NESTING_LIMIT = 16  # brackets within brackets; lists or quotes within each other
# how a line opens: indentation, list markers and quote marks (each level at most 4 characters)
_OPENINGS = re.compile(r"^(?:[ \t]|[*+-](?=[ \t])|\d{1,9}[.)](?=[ \t])|>)+", re.MULTILINE)


def markup_bounded(source: str) -> bool:
    """Whether a body's brackets, lists and quotes are few and shallow enough to render as
    Markdown in bounded time (Markdown nests a list or a quote by a call in a call: 50,000
    of them overflow the stack)."""
    if source.count("[") > MARKUP_LIMIT or source.count("<") > MARKUP_LIMIT:
        return False
    if any(len(m.group()) > NESTING_LIMIT * 4 for m in _OPENINGS.finditer(source)):
        return False
    depth = 0
    for char in source:
        if char == "[":
            depth += 1
            if depth > NESTING_LIMIT:
                return False
        elif char == "]" and depth:
            depth -= 1
    return True
