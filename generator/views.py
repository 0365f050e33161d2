"""What the outputs show: releases as views, and the figures pages and sheets need.

Pure functions over the model; templates call them by name.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .model import EstateData
from .model.accounts import AccountingBasis, FeeStatement, FundStatement, RevenueStatement
from .model.estate import Person
from .model.fees import FeeStandard, PricePeriod
from .model.notices import Notice, Release
from .releases import fingerprint

ZERO = Decimal("0.00")
ACCOUNT_PAGES = {
    "maintenance_fund": "fund.html",
    "public_revenue": "revenue.html",
    "property_fees": "property-fees.html",
}


@dataclass(frozen=True)
class View:
    """An estate as published in one release (or its working copy, where shown)."""

    estate_id: str
    data: EstateData
    release: Release | None
    sha256: str | None
    folder: str  # site path of this release's pages, ending in "/"
    number: int  # 1 for the first release

    @property
    def fingerprint(self) -> str | None:
        return fingerprint(self.sha256) if self.sha256 else None

    @property
    def day(self) -> dt.date | None:
        return self.release.date if self.release else None

    @property
    def release_id(self) -> str:
        return self.release.id if self.release else "current"


def release_folder(estate_id: str, release_id: str) -> str:
    return f"{estate_id}/releases/{release_id}/"


def fee_in_force(fee: FeeStandard, day: dt.date | None) -> PricePeriod:
    """The period in force on ``day`` (the latest period when there is no day or none is)."""
    if day is not None:
        for period in fee.periods:
            if period.start <= day and (period.end is None or day <= period.end):
                return period
    return max(fee.periods, key=lambda p: p.start)


def upcoming(fee: FeeStandard, day: dt.date | None) -> list[PricePeriod]:
    """Periods that start after ``day``: announced changes."""
    if day is None:
        return []
    return [p for p in fee.periods if p.start > day]


def newest_first(statements: dict[str, Any]) -> list[tuple[str, Any]]:
    return sorted(statements.items(), key=lambda kv: kv[1].period.start, reverse=True)


def totals(statement: FundStatement | RevenueStatement) -> dict[str, Decimal]:
    income = sum((e.amount for e in statement.income), ZERO)
    spent = sum((e.amount for e in statement.expenditure), ZERO)
    return {
        "opening": statement.opening,
        "income": income,
        "expenditure": spent,
        "closing": statement.closing,
    }


def fee_totals(statement: FeeStatement) -> dict[str, Decimal]:
    receivable = sum((c.receivable for c in statement.collection), ZERO)
    received = sum((c.received for c in statement.collection), ZERO)
    other = sum((e.amount for e in statement.other_income), ZERO)
    costs = sum((c.amount for c in statement.expenditure), ZERO)
    commission = statement.commission.amount if statement.commission else ZERO
    rate = (received * 100 / receivable).quantize(Decimal("0.01")) if receivable else None
    return {
        "receivable": receivable,
        "received": received,
        "rate": rate if rate is not None else ZERO,
        "income": (receivable if statement.basis is AccountingBasis.ACCRUAL else received)
        + statement.arrears_recovered
        + other,
        "expenditure": costs,
        "commission": commission,
        "surplus": statement.surplus,
    }


def by_category(entries: list[Any]) -> list[tuple[str, Decimal]]:
    """Sum entries by category, largest first."""
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for entry in entries:
        sums[str(entry.category)] += entry.amount
    return sorted(sums.items(), key=lambda kv: (-kv[1], kv[0]))


def fund_series(views: list[View]) -> list[tuple[str, Decimal]]:
    """The maintenance fund's latest closing balance in each release, oldest first."""
    series = []
    for view in views:
        statements = newest_first(view.data.accounts.maintenance_fund)
        if statements:
            series.append((view.release_id, statements[0][1].closing))
    return series


def public_people(people: list[Person]) -> list[Person]:
    """Only people marked public are ever shown."""
    return [p for p in people if p.public]


def notices_in_posting(notices: dict[str, Notice], day: dt.date | None) -> list[Notice]:
    """Notices whose posting period covers ``day`` (every notice when there is no day)."""
    ordered = sorted(notices.values(), key=lambda n: (n.date, n.id), reverse=True)
    if day is None:
        return ordered
    return [n for n in ordered if n.posting is None or n.posting.start <= day <= n.posting.end]


def public_data(data: EstateData) -> dict[str, Any]:
    """The estate's data as published: people not marked public are withheld."""
    dumped = data.model_dump(mode="json", by_alias=True)
    committee = dumped["estate"].get("committee")
    if committee is not None:
        committee["members"] = [m for m in committee["members"] if m.get("public")]
    return dumped


TEMPLATE_GLOBALS = {
    "fee_in_force": fee_in_force,
    "upcoming": upcoming,
    "newest_first": newest_first,
    "totals": totals,
    "fee_totals": fee_totals,
    "by_category": by_category,
    "public_people": public_people,
    "notices_in_posting": notices_in_posting,
    "ACCOUNT_PAGES": ACCOUNT_PAGES,
}


SECTIONS = {
    "estate": "基本情况",
    "fees": "收费标准",
    "contracts": "合同",
    "services": "四保服务",
    "votes": "业主表决",
    "maintenance_fund": "专项维修资金",
    "public_revenue": "公共收益",
    "property_fees": "物业费收支",
    "notices": "公告",
}
