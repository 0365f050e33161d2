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


class Base(BaseModel):
    """Immutable, strict about unknown keys, fields named by their YAML key."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, use_enum_values=False
    )


def _fail(diagnostic: str, message: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError(f"sunshine_{diagnostic}", message, context)


ID_PATTERN = _ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\Z")


def _id(value: Any) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise _fail("S003", "expected an id (text), got {got}", got=repr(value))
    text = str(value)
    if not _ID.match(text):
        raise _fail(
            "I001",
            "id '{id}' is not URL-safe: use lowercase letters a-z, digits and '-', "
            "starting and ending with a letter or digit, at most 64 characters",
            id=text,
        )
    return text


def _text(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        raise _fail("S003", "expected text, got {got}", got=repr(value))
    if isinstance(value, int | Decimal):
        return str(value)
    if not isinstance(value, str):
        raise _fail("S003", "expected text, got {got}", got=type(value).__name__)
    if not value.strip():
        raise _fail("S003", "expected text, got an empty string")
    return value


def _decimal(value: Any, places: int, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise _fail("S004", "expected {what}, got {got}", what=what, got=repr(value))
    try:
        number = Decimal(value) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise _fail("S004", "expected {what}, got {got}", what=what, got=repr(value)) from None
    if not number.is_finite():
        raise _fail("S004", "expected {what}, got {got}", what=what, got=repr(value))
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent < -places:
        raise _fail(
            "S004",
            "{value} has more than {places} decimal places",
            value=str(value),
            places=places,
        )
    if exponent > -2:  # canonical text: at least two places, "12.5" -> "12.50"
        try:
            number = number.quantize(Decimal("0.01"))
        except InvalidOperation:
            raise _fail("S004", "{value} is too large", value=str(value)) from None
    return number


def _money(value: Any) -> Decimal:
    return _decimal(value, 2, "an amount in yuan with at most 2 decimal places")


def _price(value: Any) -> Decimal:
    return _decimal(value, 4, "a unit price with at most 4 decimal places")


def _area(value: Any) -> Decimal:
    number = _decimal(value, 2, "an area in square metres with at most 2 decimal places")
    if number < 0:
        raise _fail("S003", "an area cannot be negative")
    return number


def _positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise _fail("S003", "expected an amount greater than 0, got {got}", got=str(value))
    return value


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise _fail("S005", "expected a date (YYYY-MM-DD) without a time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value) if len(value) == 10 else _bad_date(value)
        except ValueError:
            raise _fail(
                "S005", "'{got}' is not a real date (expected YYYY-MM-DD)", got=value
            ) from None
    raise _fail("S005", "expected a date (YYYY-MM-DD), got {got}", got=repr(value))


def _bad_date(value: str) -> dt.date:
    raise ValueError(value)


def _credit_code(value: Any) -> str:
    text = _text(value).strip()
    if not uscc.is_valid(text):
        raise _fail(
            "C001",
            "'{code}' is not a valid unified social credit code (18 characters, last one a check character)",
            code=text,
        )
    return uscc.compact(text)


_PHONE = re.compile(r"\+?[0-9][0-9 ()\-转]{1,30}\Z")


def _phone(value: Any) -> str:
    text = _text(value)
    if not _PHONE.match(text):
        raise _fail("S003", "'{got}' does not look like a phone number", got=text)
    return text


_SAFE_URL = re.compile(
    r"(https?://|mailto:|tel:)[^\s<>\"']+\Z|/?[A-Za-z0-9._~/%-]*[A-Za-z0-9._~%-]\Z"
)


def _url(value: Any) -> str:
    text = _text(value).strip()
    if not _SAFE_URL.match(text) or text.startswith("//") or ".." in text.split("/"):
        raise _fail(
            "S003",
            "'{got}' is not an allowed link: use http(s)://, mailto:, tel: or a relative path",
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
Money = Annotated[Decimal, BeforeValidator(_money), WithJsonSchema(_NUM_SCHEMA)]
PositiveMoney = Annotated[
    Decimal, BeforeValidator(lambda v: _positive(_money(v))), WithJsonSchema(_NUM_SCHEMA)
]
Price = Annotated[Decimal, BeforeValidator(_price), WithJsonSchema(_NUM_SCHEMA)]
Area = Annotated[Decimal, BeforeValidator(_area), WithJsonSchema(_NUM_SCHEMA)]
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
    return canonical(value)


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
            "D001", "ends on {end}, before it starts on {start}", end=str(end), start=str(start)
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
