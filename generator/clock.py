"""The one clock: every date that reaches an output comes from the data or from here."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from .errors import UsageError
from .i18n import _

# the days a disclosure can name (model.base checks the data's own dates the same way)
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


def today() -> dt.date:
    """The build date: SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return dt.date.today()
    try:
        day = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        day = None
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        raise UsageError(
            _(
                "环境变量 SOURCE_DATE_EPOCH={epoch} 不是 {first} 年到 {last} 年之间某一刻的秒数（从 1970-01-01 起算）",
                epoch=repr(epoch),
                first=FIRST_DAY.year,
                last=LAST_DAY.year,
            )
        )
    return day


def out_of_range(day: dt.date) -> tuple[str, dict[str, Any]] | None:
    """The message template and its fields when ``day`` is not one a disclosure can name."""
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    fields = {"day": day.isoformat(), "first": FIRST_DAY.year, "last": LAST_DAY.year}
    return _("日期 {day} 不在 {first} 年到 {last} 年之间：请检查年份"), fields


def checked_day(day: dt.date) -> dt.date:
    """A day asked for on the command line, within the days a disclosure can name."""
    wrong = out_of_range(day)
    if wrong is not None:
        raise UsageError(wrong[0].format(**wrong[1]))
    return day
