"""Audit rules over a diff and the data: findings with a stable code, a severity and a place.

Each rule is a function of an ``Audit`` (the older and newer side, the
changes between them, the thresholds in force) yielding diagnostics located
in the newer data. Thresholds are data, so rule profiles can set them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .diff import Change, diff
from .errors import Diagnostic, Location
from .model import EstateData
from .model.notices import Release

Locator = Callable[[tuple[str | int, ...]], Location]


@dataclass(frozen=True)
class Thresholds:
    """Limits the warnings use; rule profiles may set their own."""

    collection_rate_drop: Decimal = Decimal("5")  # percentage points between two statements
    fund_drop_percent: Decimal = Decimal("30")  # of the fund's balance between two releases


@dataclass(frozen=True)
class Side:
    """An estate at one moment: its data, its release (None: working copy), where its data lives."""

    data: EstateData
    release: Release | None
    locate: Locator


@dataclass
class Audit:
    old: Side
    new: Side
    limits: Thresholds = field(default_factory=Thresholds)
    changes: list[Change] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.changes:
            self.changes = diff(self.old.data, self.new.data)

    def at(self, *path: str | int) -> Location:
        return self.new.locate(path)


Rule = Callable[[Audit], Iterable[Diagnostic]]


def _statement_of(change: Change, tree: dict[str, Any]) -> Any:
    kind, pid = change.path[1], change.path[2] if len(change.path) > 2 else None
    return tree["accounts"][kind].get(pid) if pid else None


def history_rewritten(a: Audit) -> Iterator[Diagnostic]:
    """H001: an account line or total dated on or before the previous release changed or vanished."""
    if a.old.release is None:
        return
    cutoff = a.old.release.date
    old_tree = a.old.data.model_dump(mode="python", by_alias=True)
    reported: set[tuple[str, ...]] = set()
    for change in a.changes:
        if change.path[0] != "accounts" or change.kind == "added" or len(change.path) < 3:
            continue
        statement = _statement_of(change, old_tree)
        if statement is None:
            continue
        dated, what = _dated(change, statement)
        if dated is None or dated > cutoff:
            continue
        key = change.path[:5] if what == "entry" else change.path
        if key in reported:
            continue
        reported.add(key)
        where = a.at(*change.at) if change.kind == "changed" else a.at(*change.path[:3])
        verb = "vanished" if change.kind == "removed" else "changed"
        label = " ".join(change.path[3:5]) if what == "entry" else ".".join(change.path[3:])
        message = f"{'.'.join(change.path[1:3])}: {label} dated {dated} {verb} after release {a.old.release.id} ({cutoff}) published it"
        yield Diagnostic("H001", where, message)


def _dated(change: Change, statement: dict[str, Any]) -> tuple[dt.date | None, str]:
    """The date a changed part of a statement carries: its entry's date, else the period's end."""
    if len(change.path) >= 5 and change.path[3] in ("income", "expenditure", "other_income"):
        entry = next(
            (e for e in statement[change.path[3]] if str(e.get("id")) == change.path[4]), None
        )
        if entry is not None:
            return entry.get("date"), "entry"
    return statement["period"]["to"], "total"


def openings_follow_closings(a: Audit) -> Iterator[Diagnostic]:
    """H002: a statement's opening balance differs from the previous period's closing."""
    accounts = a.new.data.accounts
    for kind in ("maintenance_fund", "public_revenue", "property_fees"):
        statements: dict[str, Any] = getattr(accounts, kind)
        ordered = sorted(statements.items(), key=lambda kv: kv[1].period.start)
        for (prev_id, prev), (pid, st) in zip(ordered, ordered[1:], strict=False):
            if st.opening is not None and prev.closing is not None and st.opening != prev.closing:
                message = f"{kind}.{pid}: opening {st.opening} differs from {prev_id}'s closing {prev.closing}"
                yield Diagnostic("H002", a.at("accounts", kind, pid, "opening"), message)


def fee_raised_without_basis(a: Audit) -> Iterator[Diagnostic]:
    """H003: a fee goes up on a basis (document, resolution, clause) the older release already had."""
    if a.old.data.fees is None or a.new.data.fees is None:
        return
    before = {f.id: f for f in a.old.data.fees.standards}
    for i, fee in enumerate(a.new.data.fees.standards):
        if fee.id not in before:
            continue
        known = {(p.basis.kind, p.basis.ref, p.basis.date) for p in before[fee.id].periods}
        old_amounts = {p.start: p.amount for p in before[fee.id].periods}
        ordered = sorted(enumerate(fee.periods), key=lambda ip: ip[1].start)
        for (_, prev), (j, period) in zip(ordered, ordered[1:], strict=False):
            raised = period.amount > prev.amount and old_amounts.get(period.start) != period.amount
            if raised and (period.basis.kind, period.basis.ref, period.basis.date) in known:
                message = f"fee '{fee.id}' rises from {prev.amount} to {period.amount} on {period.start} citing '{period.basis.ref}', a basis already published before"
                yield Diagnostic(
                    "H003", a.at("fees", "standards", i, "periods", j, "basis"), message
                )


def contract_changed_without_amendment(a: Audit) -> Iterator[Diagnostic]:
    """H004: a contract's amount or term changed, with no new amendment behind it."""
    if a.old.data.contracts is None or a.new.data.contracts is None:
        return
    before = {c.id: c for c in a.old.data.contracts.contracts}
    for i, contract in enumerate(a.new.data.contracts.contracts):
        old = before.get(contract.id)
        if old is None:
            continue
        moved = [
            name
            for name, x, y in (
                ("amount", old.amount, contract.amount),
                ("term", old.term, contract.term),
            )
            if x != y
        ]
        new_amendments = {m.id for m in contract.amendments} - {m.id for m in old.amendments}
        if moved and not new_amendments:
            message = (
                f"contract '{contract.id}': {' and '.join(moved)} changed without a new amendment"
            )
            yield Diagnostic("H004", a.at("contracts", "contracts", i, moved[0]), message)


def fund_spending_without_vote(a: Audit) -> Iterator[Diagnostic]:
    """H005: maintenance-fund spending new in this release with no recorded owners' vote."""
    votes = {v.id for v in a.new.data.votes.votes} if a.new.data.votes else set()
    old_ids = {e.id for st in a.old.data.accounts.maintenance_fund.values() for e in st.expenditure}
    for pid, st in a.new.data.accounts.maintenance_fund.items():
        for i, entry in enumerate(st.expenditure):
            if entry.id in old_ids or entry.emergency is not None:
                continue
            if entry.vote is None or entry.vote not in votes:
                why = (
                    "names no vote"
                    if entry.vote is None
                    else f"names vote '{entry.vote}', which is not recorded"
                )
                message = f"maintenance_fund.{pid}: spending '{entry.id}' ({entry.amount}) {why} and no emergency"
                yield Diagnostic(
                    "H005",
                    a.at("accounts", "maintenance_fund", pid, "expenditure", i, "id"),
                    message,
                )


def collection_rate_falls(a: Audit) -> Iterator[Diagnostic]:
    """H006: a class's collection rate fell by more than the threshold since the previous statement."""
    ordered = sorted(a.new.data.accounts.property_fees.items(), key=lambda kv: kv[1].period.start)
    if len(ordered) < 2:
        return
    (_, prev), (pid, last) = ordered[-2], ordered[-1]
    rates = {c.id: c.rate for c in prev.collection}
    for i, line in enumerate(last.collection):
        before, now = rates.get(line.id), line.rate
        if before is not None and now is not None and before - now > a.limits.collection_rate_drop:
            message = f"property_fees.{pid}: collection rate of '{line.label}' fell from {before}% to {now}% (more than {a.limits.collection_rate_drop} points)"
            yield Diagnostic(
                "H006", a.at("accounts", "property_fees", pid, "collection", i, "received"), message
            )


def _latest_fund(data: EstateData) -> tuple[str, Any] | None:
    statements = data.accounts.maintenance_fund
    return max(statements.items(), key=lambda kv: kv[1].period.start) if statements else None


def fund_balance_drops(a: Audit) -> Iterator[Diagnostic]:
    """H007: the fund's balance fell by more than the threshold since the previous release."""
    latest, before = _latest_fund(a.new.data), _latest_fund(a.old.data)
    if latest is None or before is None or before[1].closing <= 0:
        return
    pid, st = latest
    fall = (before[1].closing - st.closing) * 100 / before[1].closing
    if fall > a.limits.fund_drop_percent:
        message = f"maintenance fund fell {fall.quantize(Decimal('0.1'))}% from {before[1].closing} ({before[0]}) to {st.closing} ({pid})"
        yield Diagnostic("H007", a.at("accounts", "maintenance_fund", pid, "closing"), message)


RULES: list[Rule] = [
    history_rewritten,
    openings_follow_closings,
    fee_raised_without_basis,
    contract_changed_without_amendment,
    fund_spending_without_vote,
    collection_rate_falls,
    fund_balance_drops,
]


def audit(a: Audit, rules: list[Rule] | None = None) -> list[Diagnostic]:
    """Run every audit rule; return the findings in the order of the data."""
    return [finding for rule in (rules or RULES) for finding in rule(a)]
