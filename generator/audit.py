"""Audit rules over a diff and the data: findings with a stable code, a severity and a place.

Each rule is a function of an ``Audit`` (the older and newer side, the
changes between them, the thresholds in force) yielding diagnostics located
in the newer data. Thresholds are data, so rule profiles can set them.

What a release published is a fact: changing or removing any of it later is
a finding, unless a correction (更正, corrections.yaml) states the change,
old -> new, in the open. ``published`` decides, for each change, whether it
touches a published fact and under which code; the newest corrections of the
estate may put right a change of any earlier step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .diff import Change, diff
from .errors import Diagnostic, Location
from .i18n import _
from .model import EstateData
from .model.base import canonical
from .model.notices import Correction, NoticeCategory, Release

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
    """One step of an estate's history: ``old`` is None before its first release."""

    old: Side | None
    new: Side
    limits: Thresholds = field(default_factory=Thresholds)
    changes: list[Change] = field(default_factory=list)
    corrections: tuple[Correction, ...] = ()  # the estate's newest: they may put right any step
    corrected: list[tuple[Change, Correction]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.changes and self.old is not None:
            self.changes = diff(self.old.data, self.new.data)

    def at(self, *path: str | int) -> Location:
        return self.new.locate(path)


Rule = Callable[[Audit], Iterable[Diagnostic]]

# fields a later release may fill in where the published one left them empty: they add to a
# fact without changing it (a fee period's end is checked on its own, in _closes_in_time)
FILLED_LATER = frozenset({"accepted", "transfer", "resolution", "filed", "attachment"})
# estate.yaml: what it says of the estate's size and fund is published; the rest is how to reach people
ESTATE_FACTS = frozenset({"gross_floor_area"})
BUILDING_FACTS = frozenset({"floor_area", "fund_initial_deposit"})
ENTRY_SIDES = ("income", "expenditure", "other_income")
SECTION_NAMES = {
    "maintenance_fund": "专项维修资金",
    "public_revenue": "公共收益",
    "property_fees": "物业费收支",
    "fees": "收费标准",
    "contracts": "合同",
    "votes": "业主表决",
    "notices": "公告",
    "estate": "小区基本情况",
    "corrections": "更正记录",
}


def dotted(path: tuple[str, ...]) -> str:
    """A change's place as a correction names it: accounts.maintenance_fund.2025-h2.income.mf-1.amount."""
    return ".".join(path)


def same(written: str | None, value: Any) -> bool:
    """Whether a correction's value is the changed value: numbers by value, the rest by text."""
    if isinstance(value, dict):
        return False
    text = canonical(value)
    if written is None or text is None:
        return written is None and text is None
    try:
        return Decimal(written) == Decimal(text)
    except InvalidOperation:
        return written.strip() == text.strip()


def covering(change: Change, corrections: Iterable[Correction]) -> Correction | None:
    """The correction that states this change, old -> new, if there is one."""
    place = dotted(change.path)
    for c in corrections:
        if c.path.strip() != place:
            continue
        if c.old is None and c.new is None and (_long(change.old) or _long(change.new)):
            return c  # a long text: the path and the reason say enough
        if change.kind == "removed" and c.new is None:
            if c.old is None or isinstance(change.old, dict) or same(c.old, change.old):
                return c
        elif (
            change.kind == "added"
            and c.old is None
            and same(c.new, change.new)
            or change.kind == "changed"
            and same(c.old, change.old)
            and same(c.new, change.new)
        ):
            return c
    return None


def published(change: Change, a: Audit) -> str | None:
    """The code a change of published data raises, or None when it changes no published fact."""
    path, head = change.path, change.path[0]
    keyed = head == "notices" and len(path) == 2  # notices are keyed by id, as statements are
    filled = change.kind == "added" and isinstance(change.at[-1], str) and not keyed
    item_added = change.kind == "added" and not filled
    if filled and path[-1] in FILLED_LATER:
        return None
    if head == "accounts":
        return "H001" if len(path) >= 3 and _published_statement_part(change, a) else None
    if item_added or len(path) < 2:
        return None  # a new entry, a new section: additions are free
    if head == "fees":
        if path[1] != "standards":
            return None  # pass-through charges and extra services have no periods (yet)
        if len(path) == 6 and path[3] == "periods" and path[5] == "to" and filled:
            return None if _closes_in_time(change, a) else "H008"
        return "H008"
    if head == "contracts":
        return _contract_code(change, a)
    if head in ("votes", "notices", "corrections"):
        return "H008"
    if head == "estate":
        return _estate_code(change, a)
    return None  # services: what is done today, not a record of the past


def _closes_in_time(change: Change, a: Audit) -> bool:
    """A fee period left open may be closed, but not before residents last saw it in force."""
    assert a.old is not None and a.old.release is not None
    return isinstance(change.new, dt.date) and change.new >= a.old.release.date


def _contract_code(change: Change, a: Audit) -> str | None:
    path = change.path
    if len(path) >= 4 and path[3] in ("amount", "term"):
        return None if _amended(change, a) else "H004"
    if len(path) >= 5 and path[3] == "amendments" and change.kind == "added" and len(path) == 5:
        return None
    return "H008"


def _amended(change: Change, a: Audit) -> bool:
    """A contract's amount or end moved to what one of its amendments says."""
    contract_id = change.path[2]
    contracts = a.new.data.contracts.contracts if a.new.data.contracts else []
    new = next(c for c in contracts if c.id == contract_id)
    if change.path[3] == "amount":
        return any(
            m.amount is not None and m.amount.value == new.amount.value for m in new.amendments
        )
    return any(m.end is not None and m.end == new.term.end for m in new.amendments)


def _estate_code(change: Change, a: Audit) -> str | None:
    path = change.path
    if path[1] in ESTATE_FACTS:
        return "H008"
    if path[1] == "maintenance_fund" and path[-1] == "initial_deposit":
        return "H008"
    if path[1] == "buildings" and len(path) >= 3:
        if len(path) == 3:
            return "H008" if change.kind == "removed" else None
        return "H008" if path[3] in BUILDING_FACTS and change.kind != "added" else None
    if path[1] == "committee":
        return _committee_code(change, a)
    if path[1] == "earlier_disclosures":
        return "H008"
    return None


def _committee_code(change: Change, a: Audit) -> str | None:
    """A committee's name, kind and term are published; a new term of office is a new committee."""
    assert a.old is not None
    before, after = a.old.data.estate.committee, a.new.data.estate.committee
    if before is None or after is None or before.term.start != after.term.start:
        return None
    field_name = change.path[2] if len(change.path) > 2 else ""
    if field_name in ("name", "kind") or (field_name == "term" and change.kind != "added"):
        return "H008"
    return None


def _published_statement_part(change: Change, a: Audit) -> bool:
    """Whether a changed part of a statement was published: lines dated, totals of periods ended, by the release."""
    assert a.old is not None and a.old.release is not None
    old_statements = getattr(a.old.data.accounts, change.path[1])
    statement = old_statements.get(change.path[2])
    if statement is None:
        return False  # a statement new in this step
    if len(change.path) == 3:
        return change.kind == "removed"
    dated = _dated(change, statement)
    return dated is not None and dated <= a.old.release.date


def _dated(change: Change, statement: Any) -> dt.date | None:
    """The date a part of a statement carries: its entry's date, else the period's end."""
    path = change.path
    if len(path) >= 5 and path[3] in ENTRY_SIDES:
        entry = change.new if change.kind == "added" and len(path) == 5 else None
        if entry is None:
            entry = next((e for e in getattr(statement, path[3]) if e.id == path[4]), None)
            entry = entry.model_dump() if entry is not None else None
        if isinstance(entry, dict) and isinstance(entry.get("date"), dt.date):
            return entry["date"]
    end: dt.date = statement.period.end
    return end


def rewrites(a: Audit) -> Iterator[Diagnostic]:
    """H001, H004, H008: a published fact changed, filled in or removed, with no correction stating it."""
    if a.old is None or a.old.release is None:
        return
    reported: set[tuple[str, ...]] = set()
    for change in a.changes:
        code = published(change, a)
        if code is None:
            continue
        correction = covering(change, a.corrections)
        if correction is not None:
            a.corrected.append((change, correction))
            continue
        key = _reported_as(change, code)
        if key in reported:
            continue
        reported.add(key)
        yield Diagnostic(code, a.at(*change.near), _rewrite_message(change, code, a.old.release))


def _reported_as(change: Change, code: str) -> tuple[str, ...]:
    """Changes reported once: every field of a contract's amount or term as one, the rest each."""
    if code == "H004":
        return change.path[:4]
    return change.path


def _rewrite_message(change: Change, code: str, release: Release) -> str:
    place = dotted(change.path)
    section = change.path[1] if change.path[0] == "accounts" else change.path[0]
    values = {
        "what": SECTION_NAMES.get(section, section),
        "place": place,
        "day": release.date,
        "release": release.id,
        "old": _shown(change.old),
        "new": _shown(change.new),
    }
    if code == "H004":
        return _(
            "{what} {place}：已在 {day} 发布的期次 {release} 中公示，合同的金额或期限现由 {old} 改为 {new}，但没有补充协议写明这一变更。请在 amendments 中登记补充协议（写明变更后的 amount 或 end）",
            **values,
        )
    entry = _correction_entry(change)
    if change.kind == "removed":
        return _(
            "{what} {place}：已在 {day} 发布的期次 {release} 中公示，现在被删除了。已公示的内容不能删除；如确属错误，请在 corrections.yaml 登记更正（{entry}，并写明 reason 和更正公告 notice）",
            entry=entry,
            **values,
        )
    return _(
        "{what} {place}：已在 {day} 发布的期次 {release} 中公示，现由 {old} 改为 {new}。已公示的内容不能改写；如确属更正错误，请在 corrections.yaml 登记更正（{entry}，并写明 reason 和更正公告 notice）",
        entry=entry,
        **values,
    )


def _correction_entry(change: Change) -> str:
    """What to write in corrections.yaml to state this change: path, old, new."""
    parts = [f"path: {dotted(change.path)}"]
    if _long(change.old) or _long(change.new):
        return parts[0] + _("（内容较长，old 和 new 可以不填）")
    for name, value in (("old", change.old), ("new", change.new)):
        text = None if isinstance(value, dict) else canonical(value)
        parts.append(f"{name}: {text}" if text is not None else _("{name} 不填", name=name))
    return "，".join(parts)


LONG = 80  # characters: a notice's body is shown cut, and its correction need not copy it


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return _("（整条）")
    text = canonical(value)
    if text is None:
        return _("（空）")
    return f"「{text[:30]}……」" if len(text) > LONG else text


def _long(value: Any) -> bool:
    text = canonical(value) if not isinstance(value, dict) else None
    return text is not None and len(text) > LONG


def fee_raised_without_basis(a: Audit) -> Iterator[Diagnostic]:
    """H003: a fee goes up on a basis (document, resolution, clause) the older release already had."""
    if a.old is None or a.old.data.fees is None or a.new.data.fees is None:
        return
    before = {f.id: f for f in a.old.data.fees.standards}
    for i, fee in enumerate(a.new.data.fees.standards):
        if fee.id not in before:
            continue
        known = {(p.basis.kind, p.basis.ref, p.basis.date) for p in before[fee.id].periods}
        old_amounts = {p.start: p.amount for p in before[fee.id].periods}
        ordered = sorted(enumerate(fee.periods), key=lambda ip: ip[1].start)
        for (_i, prev), (j, period) in zip(ordered, ordered[1:], strict=False):
            raised = period.amount > prev.amount and old_amounts.get(period.start) != period.amount
            if raised and (period.basis.kind, period.basis.ref, period.basis.date) in known:
                message = _(
                    "收费标准 {fee}：自 {start} 起由 {old} 上调为 {new}，引用的依据「{ref}」是以前已公示过的，不是这次调价的新依据；请写明这次调价的业主大会决议、价格主管部门文件或合同条款",
                    fee=fee.id,
                    start=period.start,
                    old=prev.amount,
                    new=period.amount,
                    ref=period.basis.ref,
                )
                yield Diagnostic(
                    "H003", a.at("fees", "standards", i, "periods", j, "basis"), message
                )


def fund_spending_without_vote(a: Audit) -> Iterator[Diagnostic]:
    """H005: maintenance-fund spending new in this step with no recorded owners' vote and no emergency."""
    old_ids = (
        {e.id for st in a.old.data.accounts.maintenance_fund.values() for e in st.expenditure}
        if a.old is not None
        else set()
    )
    for pid, st in a.new.data.accounts.maintenance_fund.items():
        for i, entry in enumerate(st.expenditure):
            # a vote named but not recorded is I003, an unknown reference
            if entry.id in old_ids or entry.emergency is not None or entry.vote is not None:
                continue
            message = _(
                "专项维修资金 {pid}：支出 {entry}（{amount} 元）没有写业主表决编号（vote），也没有注明应急维修（emergency）。使用维修资金须经业主表决；应急维修请在 emergency 写明情形",
                pid=pid,
                entry=entry.id,
                amount=entry.amount,
            )
            place = ("accounts", "maintenance_fund", pid, "expenditure", i, "id")
            yield Diagnostic("H005", a.at(*place), message)


def collection_rate_falls(a: Audit) -> Iterator[Diagnostic]:
    """H006: a class's collection rate fell by more than the threshold, in a statement new in this step."""
    ordered = sorted(a.new.data.accounts.property_fees.items(), key=lambda kv: kv[1].period.start)
    if len(ordered) < 2 or a.old is None:
        return
    (_p, prev), (pid, last) = ordered[-2], ordered[-1]
    if pid in a.old.data.accounts.property_fees:
        return  # reported when this statement was new
    rates = {c.id: c.rate for c in prev.collection}
    for i, line in enumerate(last.collection):
        before, now = rates.get(line.id), line.rate
        if before is not None and now is not None and before - now > a.limits.collection_rate_drop:
            message = _(
                "物业费收支 {pid}：「{label}」的收缴率由 {before}% 降到 {now}%，降幅超过 {limit} 个百分点",
                pid=pid,
                label=line.label,
                before=before,
                now=now,
                limit=a.limits.collection_rate_drop,
            )
            yield Diagnostic(
                "H006", a.at("accounts", "property_fees", pid, "collection", i, "received"), message
            )


def _latest_fund(data: EstateData) -> tuple[str, Any] | None:
    statements = data.accounts.maintenance_fund
    return max(statements.items(), key=lambda kv: kv[1].period.start) if statements else None


def fund_balance_drops(a: Audit) -> Iterator[Diagnostic]:
    """H007: the fund's balance fell by more than the threshold since the previous release."""
    if a.old is None:
        return
    latest, before = _latest_fund(a.new.data), _latest_fund(a.old.data)
    if latest is None or before is None or before[1].closing <= 0:
        return
    pid, st = latest
    fall = (before[1].closing - st.closing) * 100 / before[1].closing
    if fall > a.limits.fund_drop_percent:
        message = _(
            "专项维修资金余额由 {old}（{old_period}）降到 {new}（{new_period}），下降 {fall}%",
            old=before[1].closing,
            old_period=before[0],
            new=st.closing,
            new_period=pid,
            fall=fall.quantize(Decimal("0.1")),
        )
        yield Diagnostic("H007", a.at("accounts", "maintenance_fund", pid, "closing"), message)


def backdated(a: Audit) -> Iterator[Diagnostic]:
    """H009: a fee change or notice new in this step, dated before the previous release that did not show it."""
    if a.old is None or a.old.release is None:
        return
    day, rid = a.old.release.date, a.old.release.id
    shown = {
        (f.id, p.start)
        for f in (a.old.data.fees.standards if a.old.data.fees else [])
        for p in f.periods
    }
    for i, fee in enumerate(a.new.data.fees.standards if a.new.data.fees else []):
        for j, period in enumerate(fee.periods):
            if (fee.id, period.start) in shown or period.posted is None or period.posted >= day:
                continue
            message = _(
                "收费标准 {fee}：自 {start} 起的调价写明 {posted} 已公示，但 {day} 发布的期次 {release} 中并没有这次调价。请写实际公示的日期",
                fee=fee.id,
                start=period.start,
                posted=period.posted,
                day=day,
                release=rid,
            )
            yield Diagnostic("H009", a.at("fees", "standards", i, "periods", j, "posted"), message)
    for notice_id, notice in a.new.data.notices.items():
        timely = notice.category not in (NoticeCategory.FEES, NoticeCategory.MAJOR)
        if notice_id in a.old.data.notices or timely or notice.date >= day:
            continue
        message = _(
            "公告 {notice}（{category}）的日期是 {date}，早于 {day} 发布的期次 {release}，但该期并没有这条公告。请写实际发布的日期",
            notice=notice_id,
            category=notice.category,
            date=notice.date,
            day=day,
            release=rid,
        )
        yield Diagnostic("H009", a.at("notices", notice_id, "date"), message)


RULES: list[Rule] = [
    rewrites,
    fee_raised_without_basis,
    fund_spending_without_vote,
    collection_rate_falls,
    fund_balance_drops,
    backdated,
]


def audit(a: Audit, rules: list[Rule] | None = None) -> list[Diagnostic]:
    """Run every audit rule; return the findings in the order of the data."""
    return [finding for rule in (rules or RULES) for finding in rule(a)]
