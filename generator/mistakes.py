"""The usual slips of someone who knows Excel better than YAML, recognised and explained.

Each function looks at what was written and, when it is a slip this module
knows, returns what to tell the clerk: what is wrong and what to write
instead, in the command line's language. None when it is not one of them;
the caller then says what it would have said anyway. Nothing here rewrites a
file: the clerk makes the change, knowing exactly what it is.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from .i18n import _

FULL_WIDTH = {"：": ":", "，": ",", "　": " ", "－": "-", "＃": "#", "“": '"', "”": '"'}
_CJK_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\Z")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0, for the 1900 date system as Excel counts it
_UNIT = re.compile(r"([-+]?[\d.,，]+)\s*(元|万元|万|块|￥|¥|户|人|层|㎡|平方米|平米|年|个|%|％)\Z")


def syntax(text: str, line: int, column: int, offset: int = 0) -> tuple[int, int, str] | None:
    """Explain a YAML syntax error at (line, column), both from 1, when a usual slip caused it.

    Looks at the lines up to the error for a Tab in the indentation and for
    full-width punctuation where YAML wants its own; returns the place of the
    slip (which may be above the error) and what to do. ``offset``: the lines of the
    file above the text (a notice's front matter), which the message counts too.
    """
    lines = text.split("\n")
    for number in range(1, min(line, len(lines)) + 1):
        found = _slip_on(lines[number - 1], number + offset, near=number >= line - 2)
        if found is not None:
            return found[0] - offset, found[1], found[2]
    return _misaligned(lines, line, offset)


_KEY_LINE = re.compile(r"( *)(- +)?[^\s#:][^:#]*:(\s|$)")


def _misaligned(lines: list[str], line: int, offset: int) -> tuple[int, int, str] | None:
    """A key on the error's line indented to no column a key above it starts at (a space
    too many or too few under a list item): named with the column its neighbour uses."""
    if not 1 <= line <= len(lines):
        return None
    mine = _KEY_LINE.match(lines[line - 1])
    if mine is None or mine.group(2):
        return None  # not a key, or a list item: the list's own message says more
    columns: set[int] = set()  # where keys above start, at every level
    neighbour = None
    for row in lines[: line - 1]:
        key = _KEY_LINE.match(row)
        if key is not None:
            neighbour = len(key.group(1)) + len(key.group(2) or "")
            columns.add(neighbour)
    here = len(mine.group(1))
    if neighbour is None or here in columns:
        return None
    return (
        line,
        here + 1,
        _(
            "第 {line} 行的缩进和上面的键没有对齐：它从第 {here} 列开始，上一个键从第 {column} 列开始。同一层的键要从同一列开始，请增减空格对齐",
            line=line + offset,
            here=here + 1,
            column=neighbour + 1,
        ),
    )


def _slip_on(row: str, number: int, near: bool) -> tuple[int, int, str] | None:
    """The slip on a line; ``near``: the line is the error's or just above it, where a colon
    with no space after it is what the parser stumbled on (further up, such a line may be
    text in a block that YAML read well)."""
    body = row.split(" #", 1)[0]
    indent = len(body) - len(body.lstrip(" \t　"))
    lead = body[:indent]
    if "\t" in lead:
        return (
            number,
            lead.index("\t") + 1,
            _(
                "第 {line} 行的缩进里有 Tab 键：YAML 的缩进只能用空格。请把这一行开头的 Tab 换成空格（每一级两个空格）；多数编辑器可以用“查找和替换”把 Tab 一次全部换成两个空格",
                line=number,
            ),
        )
    if "　" in lead:
        return (
            number,
            lead.index("　") + 1,
            _(
                "第 {line} 行开头有全角空格“　”（中文输入法下打的空格）：缩进只能用半角空格。请删掉它，用半角空格对齐",
                line=number,
            ),
        )
    key = re.match(r"\s*(?:- )?([^\s:#'\"{}\[\]：]+)\s*：", body)
    if key and ":" not in body[: key.end()]:
        return (
            number,
            key.end(),
            _(
                "第 {line} 行“{key}”后面的冒号是中文全角“：”：YAML 要用英文半角冒号“:”，后面再空一格。请写成“{key}: …”（切换到英文输入法再打冒号）",
                line=number,
                key=key.group(1),
            ),
        )
    tight = _TIGHT_COLON.match(body) if near else None
    if tight:
        name, after = tight.group(1), tight.group(2)
        if after == "　":
            message = _(
                "第 {line} 行“{key}:”后面是全角空格“　”（中文输入法下打的空格）：请换成半角空格，写成“{key}: …”",
                line=number,
                key=name,
            )
        else:
            message = _(
                "第 {line} 行“{key}:”后面少了一个空格：YAML 的冒号后面要空一格，请写成“{key}: {value}”",
                line=number,
                key=name,
                value=body[tight.end(1) + 1 :].strip(),
            )
        return number, tight.end(1) + 1, message
    return None


# a key and a colon with no space after it ("name:翠湖花园", "city:　上海"): YAML reads the
# whole line as one text and fails on the line after; a key starts with a letter, so that a
# time (10:30) is none, and "//" after the colon is a web address
_TIGHT_COLON = re.compile(r"\s*(?:- )?([A-Za-z_][\w-]*):(?!//)([^ \t:])")


def encoding(data: bytes) -> tuple[int, str] | None:
    """Name the encoding of a file that is not UTF-8 (GBK, UTF-16), with the line of its first non-UTF-8 character."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (data[:200].count(b"\x00") > 10):
        return 1, _(
            "这个文件是 UTF-16 编码（Windows 记事本里叫“Unicode”）：sunshine 只读 UTF-8。请用编辑器“另存为”，编码选“UTF-8”后保存"
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            return None
        line = data.count(b"\n", 0, exc.start) + 1
        return line, _(
            "这个文件是 GBK（GB2312/GB18030）编码，Windows 记事本和 WPS 里叫“ANSI”，第 {line} 行起的中文无法按 UTF-8 读取：请用编辑器“另存为”，编码选“UTF-8”后保存",
            line=line,
        )
    return None


def number(value: str, places: int) -> str | None:
    """Explain a number written as text: thousands separators, 元 or 万, full-width digits, a ¥."""
    text = value.strip()
    plain = unicodedata.normalize("NFKC", text).replace("，", ",")
    if plain != text and _decimal(plain) is not None:
        return _(
            "“{got}”里有全角数字或符号：请切换到英文输入法，写成 {fixed}", got=value, fixed=plain
        )
    unit = _UNIT.match(plain.lstrip("¥￥ "))
    figures = plain.lstrip("¥￥ ")
    if unit:
        figures = unit.group(1)
    amount = _decimal(figures.replace(",", ""))
    if amount is None:
        return None
    if unit and unit.group(2) in ("万", "万元"):
        fixed = _plain(amount * 10000, places)
        return _(
            "不要用“万”作单位：{got} 请写成 {fixed}（以元为单位，只写数字）", got=value, fixed=fixed
        )
    fixed = _plain(amount, places)
    if unit or plain.startswith(("¥", "￥")):
        return _("只写数字，不写单位或货币符号：“{got}”请写成 {fixed}", got=value, fixed=fixed)
    if "," in figures:
        return _(
            "数字里不要写千位分隔符“,”：“{got}”请写成 {fixed}（从 Excel 复制时，先把单元格格式改成“常规”或“数值”且不勾选“使用千位分隔符”）",
            got=value,
            fixed=fixed,
        )
    if not PLAIN_NUMBER.match(figures):
        return _(
            "“{got}”不是普通写法的数字（不能用科学计数法、下划线、开头多余的 0 或 + 号）：请写成 {fixed}",
            got=value,
            fixed=fixed,
        )
    return None


# a number as the docs ask for it: digits, an optional minus and decimal point, nothing else
PLAIN_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?\Z")


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _plain(value: Decimal, places: int) -> str:
    text = f"{value:f}"
    return text if "." not in text else text.rstrip("0").rstrip(".") or "0"


def date(value: object) -> str | None:
    """Explain a date not written YYYY-MM-DD: 2026-4-20, 2026/4/20, 2026年4月20日, an Excel day number."""
    if isinstance(value, int) and not isinstance(value, bool) and 10000 <= value <= 80000:
        day = _EXCEL_EPOCH + dt.timedelta(days=value)
        return _(
            "{got} 像是 Excel 的日期序号（即 {day}）：日期请写成 {day}。从 Excel 复制前，先把单元格格式设成“文本”或自定义格式 yyyy-mm-dd",
            got=value,
            day=day.isoformat(),
        )
    if not isinstance(value, str):
        return None
    found = _CJK_DATE.match(value.strip())
    if found is None:
        return None
    try:
        day = dt.date(*(int(part) for part in found.groups()))
    except ValueError:
        return _(
            "“{got}”不是真实存在的日期：请检查月和日，写成 YYYY-MM-DD（如 2025-07-01）",
            got=value,
        )
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value.strip()):
        return _("日期的月和日都要写两位：“{got}”请写成 {day}", got=value, day=day.isoformat())
    return _(
        "日期要写成 年-月-日，用半角“-”连接，月和日都写两位：“{got}”请写成 {day}",
        got=value,
        day=day.isoformat(),
    )


YES, NO = ("是", "对", "有", "真", "√", "Y"), ("否", "不", "无", "没有", "假", "×", "N")


def boolean(value: object) -> str | None:
    """Explain 是/否 (and the like) written where YAML wants true or false."""
    if not isinstance(value, str):
        return None
    word = value.strip()
    if word in YES:
        return _("是非项要写英文：“{got}”请写成 true（是）", got=value)
    if word in NO:
        return _("是非项要写英文：“{got}”请写成 false（否）", got=value)
    return None


def nearest(value: object, choices: list[str]) -> str | None:
    """The allowed value closest to what was written, when one is close enough to suggest."""
    text = str(value).strip()
    contains = [c for c in choices if text and (text in c or c in text)]
    if contains:
        return min(contains, key=lambda c: abs(len(c) - len(text)))
    close = difflib.get_close_matches(text, choices, n=1, cutoff=0.4)
    return close[0] if close else None
