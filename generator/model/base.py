"""Shared building blocks of the content model: strict base class and value types.

Custom value errors carry their diagnostic code in the error type
(``sunshine_S004`` ...), so validation maps them to the code table directly.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError
from stdnum.cn import uscc

from .. import chars, mistakes
from ..clock import out_of_range
from ..i18n import _
from ..pinyin import syllables


class Base(BaseModel):
    """Immutable, strict about unknown keys, fields named by their YAML key."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        use_enum_values=False,
        defer_build=True,  # validators are built on first use: a check that reads nothing builds none
    )


def _fail(diagnostic: str, message: str, **context: Any) -> PydanticCustomError:
    """A custom error: ``message`` is the translated template, pydantic fills its ``{fields}``."""
    return PydanticCustomError(f"sunshine_{diagnostic}", message, context)


ID_PATTERN = _ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\Z")


def _id(value: Any) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise _fail(
            "S003", _("这里要写一个编号（如 b1、2025-h1），现在写的是 {got}"), got=repr(value)
        )
    text = str(value)
    if not _ID.match(text):
        raise _fail(
            "I001",
            _(
                "编号“{id}”不能用：编号只用小写字母 a-z、数字 0-9 和 -，以字母或数字开头和结尾，最长 64 个字符，例如 {example}"
            ),
            id=text,
            example=id_example(text),
        )
    return text


def id_example(text: str) -> str:
    """The id a clerk probably meant: lowercase, '-' for spaces and '_', other characters
    dropped; Chinese in pinyin, a syllable each, as the demo's ids (翠湖花园 -> cui-hu-hua-yuan)."""
    guess = _slug(text)
    if not guess and text.strip():
        guess = _slug(" ".join(syllables(text)))
    return guess[:64].strip("-") if guess else "b1"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9-]", "", re.sub(r"[\s_.]+", "-", text.strip().lower())).strip("-")


def _text(value: Any) -> str:
    """One line of text: a name, a title, an item; the text rule's strict side (see chars)."""
    return _ruled(_written(value), one_line=True)


def _prose(value: Any) -> str:
    """Free text that may run over several lines: a summary, a scope, a note."""
    return _ruled(_written(value), one_line=False)


def _ruled(text: str, one_line: bool) -> str:
    """The text as published, or the first character the text rule refuses in it."""
    if chars.plain(text):  # most text: nothing to tidy, nothing to refuse
        return text
    text = chars.tidy(text, one_line)
    flaws = chars.flaws(text, one_line)
    if flaws:
        raise _flaw(flaws[0])
    return text


def _flaw(flaw: chars.Flaw) -> PydanticCustomError:
    """The text rule's error; ``char`` lets the loader point at the character itself."""
    return PydanticCustomError(f"sunshine_{flaw.code}", flaw.message(), {"char": flaw.char})


def _written(value: Any) -> str:
    if type(value) is str and value and not value.isspace():  # the usual case, first
        return value
    if isinstance(value, bool):
        raise _fail(
            "S003",
            _(
                '这里要写文字，现在是 {got}：像 yes、no、true、false 这样的词要加英文双引号，如 "yes"'
            ),
            got=str(value).lower(),
        )
    if value is None:
        raise _fail("S003", _("这里要写文字，现在是空的：请在冒号后面写上内容，或删掉这一行"))
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, dt.date):
        raise _fail(
            "S003",
            _('这里要写文字，{got} 被读成了日期：像日期的文字请加英文双引号，如 "{got}"'),
            got=value.isoformat(),
        )
    if not isinstance(value, str):
        raise _fail("S003", _("这里要写一段文字，不是下一级的列表或键值"))
    if not value.strip():
        raise _fail("S003", _("这里要写文字，现在是空的：请写上内容，或删掉这一行"))
    return value


def _one_line(value: Any) -> None:
    """An amount or a date written as text holds no character the text rule refuses."""
    if isinstance(value, str) and (flaws := chars.flaws(value, one_line=True)):
        raise _flaw(flaws[0])


def _decimal(value: Any, places: int, what: str, percent: bool = False) -> Decimal:
    """``percent``: the number is a percentage, and “10%” is explained as 10; elsewhere a
    percentage is no amount or price at all (a guided price's lower bound is a price)."""
    if type(value) is Decimal and value.is_finite():  # as the loader reads 12.50
        number = value
    elif isinstance(value, str) and mistakes.PLAIN_NUMBER.match(value):
        number = Decimal(value)  # "12.50", as a snapshot holds it: nothing to explain
    else:
        if not percent and isinstance(value, str) and value.strip().endswith(("%", "％")):
            raise _fail(
                "S004",
                _("这里要写{what}，不是百分比：“{got}”请换成按它算好的数"),
                what=what,
                got=value,
            )
        number = _number(value, places, what)
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent < -places:
        raise _fail(
            "S004",
            _(
                "{value} 的小数超过 {places} 位：请按账面数字写，最多 {places} 位小数（程序不替你四舍五入）"
            ),
            value=str(value),
            places=places,
        )
    if exponent > -2:  # canonical text: at least two places, "12.5" -> "12.50"
        try:
            number = number.quantize(Decimal("0.01"))
        except InvalidOperation:
            raise _fail("S004", _("{value} 太大了，请检查位数"), value=str(value)) from None
    return number


def _number(value: Any, places: int, what: str) -> Decimal:
    """Any other value as a number, or the error that explains what is wrong with it."""
    _one_line(value)
    if isinstance(value, str) and (slip := mistakes.number(value, places)) is not None:
        raise _fail("S004", slip)
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise _fail("S004", _("这里要写{what}，现在写的是 {got}"), what=what, got=_shown(value))
    try:
        number = Decimal(value) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise _fail(
            "S004", _("这里要写{what}，现在写的是 {got}"), what=what, got=_shown(value)
        ) from None
    if not number.is_finite():
        raise _fail("S004", _("这里要写{what}，现在写的是 {got}"), what=what, got=_shown(value))
    return number


def _shown(value: Any) -> str:
    """A value as the clerk wrote it: text in quotes, nothing for an empty value."""
    if value is None:
        return _("空的")
    if isinstance(value, str):
        return f"“{value}”"
    if isinstance(value, list | dict):
        return _("下一级的列表或键值")
    return str(value)


def _money(value: Any) -> Decimal:
    return _decimal(value, 2, _("金额（元，最多 2 位小数，如 1200.50）"))


def _price(value: Any) -> Decimal:
    number = _decimal(value, 4, _("单价（元，最多 4 位小数，如 0.85）"))
    return _not_negative(number, _("单价不能是负数"))


def _rate(value: Any) -> Decimal:
    number = _decimal(value, 4, _("比例（百分之几，不写 % 号，如 10）"), percent=True)
    return _not_negative(number, _("比例不能是负数"))


def _not_negative(number: Decimal, message: str) -> Decimal:
    if number < 0:
        raise _fail("S003", message)
    return number


def _area(value: Any) -> Decimal:
    number = _decimal(value, 2, _("面积（平方米，最多 2 位小数，如 8600.50）"))
    return _not_negative(number, _("面积不能是负数"))


def _score(value: Any) -> Decimal:
    number = _decimal(value, 2, _("分数（最多 2 位小数，如 92.5）"))
    return _not_negative(number, _("分数不能是负数"))


def _days(value: Any) -> Decimal:
    number = _decimal(value, 2, _("天数（最多 2 位小数，如 2.5）"))
    return _not_negative(number, _("天数不能是负数"))


def _percent(value: Any) -> Decimal:
    number = _decimal(value, 2, _("百分数（0 到 100，不写 % 号，如 60）"), percent=True)
    if not 0 <= number <= 100:
        raise _fail("S003", _("百分数要在 0 到 100 之间，现在是 {got}", got=str(number)))
    return number


def _positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise _fail(
            "S003",
            _("金额要大于 0，现在是 {got}：支出也写正数，它属于 expenditure 就表示支出"),
            got=str(value),
        )
    return value


def _date(value: Any) -> dt.date:
    day = _a_date(value)
    wrong = out_of_range(day)  # a year like 9999: a slip, or a trap for date arithmetic
    if wrong is not None:
        raise _fail("S005", wrong[0], **wrong[1])
    return day


def _a_date(value: Any) -> dt.date:
    if type(value) is dt.date:  # as the loader reads 2025-07-01: nothing to explain
        return value
    if type(value) is str and len(value) == 10 and value[4] == value[7] == "-":
        try:  # snapshots hold their dates as text (ASCII alone: the text rule has no say)
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    _one_line(value)
    if isinstance(value, dt.datetime):
        raise _fail("S005", _("日期不要带时间：只写 {day}"), day=value.date().isoformat())
    if isinstance(value, dt.date):
        return value
    slip = mistakes.date(value)
    if slip is not None:
        raise _fail("S005", slip)
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value) if len(value) == 10 else _bad_date(value)
        except ValueError:
            raise _fail(
                "S005",
                _("“{got}”不是真实存在的日期：请检查月和日，写成 YYYY-MM-DD（如 2025-07-01）"),
                got=value,
            ) from None
    raise _fail(
        "S005",
        _("这里要写日期，写成 YYYY-MM-DD（如 2025-07-01），现在写的是 {got}"),
        got=_shown(value),
    )


def _bad_date(value: str) -> dt.date:
    raise ValueError(value)


def _credit_code(value: Any) -> str:
    text = _text(value).strip()
    if not uscc.is_valid(text):
        raise _fail(
            "C001",
            _(
                "“{code}”不是有效的统一社会信用代码：应为 18 位（数字和大写字母），最后一位是校验位；请对照营业执照逐位核对"
            ),
            code=text,
        )
    return uscc.compact(text)


_PHONE = re.compile(r"\+?[0-9][0-9 ()\-转]{1,30}\Z")


def _phone(value: Any) -> str:
    text = _text(value)
    if not _PHONE.match(text):
        raise _fail(
            "S003",
            _(
                "“{got}”不像电话号码：只写数字，可以有 -、空格、括号和“转”，如 021-5888 6666 转 1024"
            ),
            got=text,
        )
    return text


_SAFE_URL = re.compile(
    r"(https?://|mailto:|tel:)[^\s<>\"']+\Z|/?[A-Za-z0-9._~/%-]*[A-Za-z0-9._~%-]\Z"
)


def _url(value: Any) -> str:
    text = _text(value).strip()
    if not _SAFE_URL.match(text) or text.startswith("//") or ".." in text.split("/"):
        raise _fail(
            "S003",
            _(
                "“{got}”不是可用的链接：网址以 https:// 或 http:// 开头，邮箱写成 mailto:地址，电话写成 tel:号码，或者写站内的相对路径"
            ),
            got=text,
        )
    return text


_FOLDER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*\Z")


def _folder(value: Any) -> str:
    """A folder inside the site, written relative to it: no '..', no absolute path."""
    text = _text(value).strip().rstrip("/")
    if not _FOLDER.match(text):
        raise _fail(
            "S003",
            _(
                "“{got}”不能用：这里写站点目录里的一个文件夹名（字母、数字、-、_，可以用 / 分层），如 content；不能写 ..、绝对路径或以点开头的名字"
            ),
            got=text,
        )
    return text


_STR_SCHEMA: dict[str, Any] = {"type": "string"}
_NUM_SCHEMA: dict[str, Any] = {"type": ["number", "string"]}

Id = Annotated[
    str,
    BeforeValidator(_id),
    WithJsonSchema({"type": "string", "pattern": "^" + _ID.pattern.removesuffix("\\Z") + "$"}),
]
Text = Annotated[str, BeforeValidator(_text), WithJsonSchema({"type": ["string", "number"]})]
Prose = Annotated[str, BeforeValidator(_prose), WithJsonSchema({"type": ["string", "number"]})]
Money = Annotated[Decimal, BeforeValidator(_money), WithJsonSchema(_NUM_SCHEMA)]
PositiveMoney = Annotated[
    Decimal, BeforeValidator(lambda v: _positive(_money(v))), WithJsonSchema(_NUM_SCHEMA)
]
Price = Annotated[Decimal, BeforeValidator(_price), WithJsonSchema(_NUM_SCHEMA)]
Rate = Annotated[Decimal, BeforeValidator(_rate), WithJsonSchema(_NUM_SCHEMA)]  # a percentage
Area = Annotated[Decimal, BeforeValidator(_area), WithJsonSchema(_NUM_SCHEMA)]
Score = Annotated[Decimal, BeforeValidator(_score), WithJsonSchema(_NUM_SCHEMA)]
Days = Annotated[Decimal, BeforeValidator(_days), WithJsonSchema(_NUM_SCHEMA)]
Percent = Annotated[Decimal, BeforeValidator(_percent), WithJsonSchema(_NUM_SCHEMA)]
Date = Annotated[
    dt.date, BeforeValidator(_date), WithJsonSchema({"type": "string", "format": "date"})
]
CreditCode = Annotated[
    str,
    BeforeValidator(_credit_code),
    WithJsonSchema({"type": ["string", "integer"], "minLength": 18, "maxLength": 18}),
]
Phone = Annotated[str, BeforeValidator(_phone), WithJsonSchema({"type": ["string", "integer"]})]
Url = Annotated[str, BeforeValidator(_url), WithJsonSchema(_STR_SCHEMA)]
Folder = Annotated[str, BeforeValidator(_folder), WithJsonSchema(_STR_SCHEMA)]
Count = Annotated[int, Field(ge=0, strict=True)]


def canonical(value: Any) -> str | None:
    """A published value as text, the same whether read from YAML or from a snapshot."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(canonical(v)) for v in value)
    return str(value)


def _value(value: Any) -> str | None:
    if isinstance(value, dict):
        raise _fail("S003", "expected one value (text, number or date), got a mapping")
    text = canonical(value)
    return None if text is None else _ruled(text, one_line=False)


# a single published value, kept as its text: 3225.00, 2025-06-30, 公开招标
Value = Annotated[
    str,
    BeforeValidator(_value),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": ["string", "number", "boolean"]},
                {"type": "array", "items": {"type": "string"}},
            ]
        }
    ),
]


def _ordered(start: dt.date, end: dt.date | None) -> None:
    if end is not None and end < start:
        raise _fail(
            "D001",
            _("结束日期 to（{end}）早于开始日期 from（{start}）：请检查是不是把两个日期写反了"),
            end=str(end),
            start=str(start),
        )


class Period(Base):
    """A span of days, both ends included."""

    start: Date = Field(alias="from", description="第一天 / first day")
    end: Date = Field(alias="to", description="最后一天（含）/ last day, included")

    @model_validator(mode="after")
    def _check_order(self) -> Period:
        _ordered(self.start, self.end)
        return self


class OpenPeriod(Base):
    """A span of days whose end may be open."""

    start: Date = Field(alias="from", description="起始日期 / first day")
    end: Date | None = Field(
        default=None,
        alias="to",
        description="截止日期（含），不填表示至今有效 / last day, empty while in force",
    )

    @model_validator(mode="after")
    def _check_order(self) -> OpenPeriod:
        _ordered(self.start, self.end)
        return self

    def overlaps(self, other: OpenPeriod) -> bool:
        """True when the two spans share a day."""
        return (other.end is None or self.start <= other.end) and (
            self.end is None or other.start <= self.end
        )
