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
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .diff import Change, diff, identity
from .errors import Diagnostic, Location
from .i18n import N_, _
from .model import EstateData
from .model.base import canonical
from .model.notices import Correction, Release

Locator = Callable[[tuple[str | int, ...]], Location]


@dataclass(frozen=True)
class Thresholds:
    """Limits the warnings use; rule profiles may set their own."""

    collection_rate_drop: Decimal = Decimal("5")  # percentage points between two statements
    fund_drop_percent: Decimal = Decimal("30")  # of the fund's balance between two releases


@dataclass(frozen=True)
class Side:
    """An estate at one moment: its data, its release (None: working copy), where its data lives.

    A working copy is audited as the release it would be on ``as_of``.
    """

    data: EstateData
    release: Release | None
    locate: Locator
    as_of: dt.date = dt.date.max

    @property
    def day(self) -> dt.date:
        """The day this side is (or would be) published."""
        return self.release.date if self.release else self.as_of


@dataclass
class Audit:
    """One step of an estate's history: ``old`` is None before its first release."""

    old: Side | None
    new: Side
    limits: Thresholds = field(default_factory=Thresholds)
    changes: list[Change] = field(default_factory=list)
    corrected: list[tuple[Change, Correction]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.changes and self.old is not None:
            self.changes = diff(self.old.data, self.new.data)

    @property
    def corrections(self) -> list[Correction]:
        """What the newer side states it corrected: only a release's own corrections justify it."""
        held = self.new.data.corrections
        return list(held.corrections) if held is not None else []

    def at(self, *path: str | int) -> Location:
        return self.new.locate(path)


Rule = Callable[[Audit], Iterable[Diagnostic]]

# fields a later release may fill in where the published one left them empty: they add to a
# fact without changing it (a fee period's end is checked on its own, in _closes_in_time)
FILLED_LATER = frozenset(
    {"accepted", "transfer", "resolution", "filed", "attachment", "notice", "rectified"}
)
# estate.yaml: what it says of the estate's size and fund is published; the rest is how to reach people
ESTATE_FACTS = frozenset({"gross_floor_area", "households"})
BUILDING_FACTS = frozenset({"floor_area", "fund_initial_deposit", "households"})
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
    "complaint_handling": "投诉处理情况",
    "governance": "党建和业委会",
    "evaluations": "服务评价",
    "meetings": "会议和接待",
    "documents": "管理规约等制度文件",
}
# what these files hold is a record of what happened (a survey's score, a meeting's outcome, the
# text of the 管理规约): once published, history; governance.yaml's elections are too, while who
# holds a role or a party branch today is current state, as the firm's contacts are
RECORDS = frozenset({"votes", "notices", "corrections", "documents", "evaluations", "meetings"})
MARKDOWN = frozenset({"notices", "documents"})  # keyed by id (the file name), as statements are
WHOLE_FILES = frozenset({"evaluations", "meetings"})  # a file of records taken away whole


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
        whole = isinstance(change.new, dict) or _long(change.old) or _long(change.new)
        if c.old is None and c.new is None and whole:
            return c  # a long text or a whole entry: the path and the reason say enough
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
    keyed = head in MARKDOWN and len(path) == 2
    filled = change.kind == "added" and isinstance(change.at[-1], str) and not keyed
    item_added = change.kind == "added" and not filled
    if filled and path[-1] in FILLED_LATER:
        return None
    if head == "accounts":
        return "H001" if len(path) >= 3 and _published_statement_part(change, a) else None
    if head == "estate":
        return _estate_code(change, a)
    if len(path) == 1 and change.kind == "removed":  # the whole file taken away
        held = change.old.get("elections") if head == "governance" else head in WHOLE_FILES
        return "H008" if held else None
    if head == "governance":
        elected = len(path) >= 3 and path[1] == "elections" and not item_added
        return "H008" if elected and not _blank_only(change) else None
    if item_added or len(path) < 2:
        return None  # a new entry, a new section: additions are free
    if head == "fees":
        return _fee_code(change, a, filled)
    if head == "contracts":
        return "H004" if len(path) >= 4 and path[3] in ("amount", "term") else "H008"
    if head in RECORDS:
        return None if _blank_only(change) else "H008"
    return None  # services: what is done today, not a record of the past


def _fee_code(change: Change, a: Audit, filled: bool) -> str | None:
    """A fee period is history once published; an announced one may yet move, flagged."""
    assert a.old is not None and a.old.release is not None
    path = change.path
    if path[1] != "standards":
        return "H010"  # pass-through charges and extra services: prices without periods
    if len(path) >= 5 and path[3] == "periods":
        start = dt.date.fromisoformat(path[4])
        if start > a.old.release.date and start > a.new.day:
            return "H010"  # announced, not yet in force: it may move, flagged
        if len(path) == 6 and path[5] == "to" and filled:
            return None if _closes_in_time(change, a) else "H008"
    return "H008"


def _blank_only(change: Change) -> bool:
    """A text that changed only in its blanks (spaces, line ends): the same words published."""
    if not (isinstance(change.old, str) and isinstance(change.new, str)):
        return False
    return change.old.split() == change.new.split()


def _closes_in_time(change: Change, a: Audit) -> bool:
    """A fee period left open may be closed, but not before residents last saw it in force."""
    assert a.old is not None and a.old.release is not None
    return isinstance(change.new, dt.date) and change.new >= a.old.release.date


def _estate_code(change: Change, a: Audit) -> str | None:
    """What estate.yaml publishes as fact: sizes, households, the fund, the committee's term."""
    path, kind = change.path, change.kind
    if len(path) < 2:
        return None
    if path[1] in ESTATE_FACTS:
        return "H008"
    if path[1] == "rule_profile":  # a setting, yet it decides what is checked: a change is flagged
        return None if kind == "added" else "H010"
    if path[1] == "maintenance_fund":
        return "H008" if kind == "removed" or path[-1] == "initial_deposit" else None
    if path[1] == "buildings" and len(path) >= 3:
        if len(path) == 3:
            return "H008" if kind == "removed" else None
        return "H008" if path[3] in BUILDING_FACTS and kind != "added" else None
    if path[1] == "committee":
        return _committee_code(change, a)
    if path[1] == "earlier_disclosures":
        return None if kind == "added" and isinstance(change.at[-1], int) else "H008"
    return None


def _committee_code(change: Change, a: Audit) -> str | None:
    """A committee's name, kind and term are published; a new term of office is a new committee.

    A new committee begins after the release that showed the one before:
    one backdated into that release's time would rewrite who co-signed it.
    """
    assert a.old is not None and a.old.release is not None
    before, after = a.old.data.estate.committee, a.new.data.estate.committee
    if before is None:
        return None
    if after is None:
        return "H008"  # the committee removed: the releases it co-signed say otherwise
    if before.term.start != after.term.start:
        return None if after.term.start >= a.old.release.date else "H008"
    field_name = change.path[2] if len(change.path) > 2 else ""
    if field_name in ("name", "kind") or (
        field_name in ("term", "filed") and change.kind != "added"
    ):
        return "H008"
    return None


def _published_statement_part(change: Change, a: Audit) -> bool:
    """Whether a change touches what a release published of a statement.

    Every line that appeared is published, whatever its date; a line added
    later is free unless it is dated on or before the release (backdated
    into what residents saw). The opening and the period are published; the
    other totals once the period has ended by the release (a statement
    published while its period runs grows with its new lines).
    """
    assert a.old is not None and a.old.release is not None
    old_statements = getattr(a.old.data.accounts, change.path[1])
    statement = old_statements.get(change.path[2])
    if statement is None:
        return False  # a statement new in this step
    path, day = change.path, a.old.release.date
    if len(path) == 3:
        return change.kind == "removed"
    if path[3] in ENTRY_SIDES and len(path) >= 5:
        entry = _entry(statement, path[3], path[4])
        if entry is not None and hasattr(entry, "date"):
            return True  # a published line: every field of it
        if entry is None and change.kind == "added" and len(path) == 5:
            dated = change.new.get("date") if isinstance(change.new, dict) else None
            return not isinstance(dated, dt.date) or dated <= day
    if path[3] in ("opening", "period") or (path[3] == "buildings" and path[-1] == "opening"):
        return True
    end: dt.date = statement.period.end
    return end <= day


def _entry(statement: Any, side: str, key: str) -> Any:
    """The line of a statement named by its identity (diff.identity), if there is one."""
    for i, entry in enumerate(getattr(statement, side)):
        if identity(entry.model_dump(mode="python", by_alias=True), i) == key:
            return entry
    return None


def rewrites(a: Audit) -> Iterator[Diagnostic]:
    """H001, H004, H008, H010: a published fact changed, filled in or removed, with no correction stating it.

    Only the newer side's own corrections put a change right (Audit.corrections);
    a correction of the newer side that states no change of this step is H011.
    """
    if a.old is None or a.old.release is None:
        return
    reported: set[tuple[str, ...]] = set()
    used: set[str] = set()
    for change in a.changes:
        code = published(change, a)
        if code is None:
            continue
        correction = covering(change, a.corrections)
        if correction is not None:
            a.corrected.append((change, correction))
            used.add(correction.id)
            continue
        key = _reported_as(change, code)
        if key in reported:
            continue
        reported.add(key)
        yield Diagnostic(code, _where(change, a), _rewrite_message(change, code, a.old.release))
    yield from _corrections_of_this_step(a, used)


def _where(change: Change, a: Audit) -> Location:
    """Where a change is put back: the changed value; for a removal, the file it was in."""
    if change.kind == "removed" and len(change.path) == 1:
        return a.at(change.path[0])  # a file taken away: the file
    if change.kind == "removed" and change.path[0] in (*MARKDOWN, "accounts"):
        return a.at(*change.path[: 2 if change.path[0] in MARKDOWN else 3])
    return a.at(*change.near)


def _corrections_of_this_step(a: Audit, used: set[str]) -> Iterator[Diagnostic]:
    """N003, H011: a correction new in this step corrects what was published, and states a change."""
    assert a.old is not None and a.old.release is not None
    before = {c.id for c in (a.old.data.corrections.corrections if a.old.data.corrections else [])}
    for i, c in enumerate(a.corrections):
        if c.id in before:
            continue
        where = functools.partial(a.at, "corrections", "corrections", i)  # if one is found
        if c.date < a.old.release.date:
            message = _(
                "更正 {id} 的日期 {date} 早于被更正内容发布的日期（期次 {release}，{day}）：更正发生在公示之后，请写实际更正的日期",
                id=c.id, date=c.date, release=a.old.release.id, day=a.old.release.date,
            )  # fmt: skip
            yield Diagnostic("N003", a.at("corrections", "corrections", i, "date"), message)
        elif c.id not in used:
            message = _(
                "更正 {id} 写的是 {path}，但这一期没有与之对应的改动（path、old、new 要与 check 报告的一致）；没有改动就不需要更正",
                id=c.id, path=c.path,
            )  # fmt: skip
            yield Diagnostic("H011", where(), message)


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
        "old": _shown(change.old, change.new),
        "new": _shown(change.new, change.old),
    }
    if code == "H004":
        return _(
            "{what} {place}：已在 {day} 发布的期次 {release} 中公示，合同的金额或期限现由 {old} 改为 {new}。合同本身保持签订时的样子，变更要写成补充协议：请把这里改回 {old}，在 amendments 中登记补充协议（写明变更后的 amount 或 end）",
            **values,
        )
    if code == "H010":
        return _(
            "{what} {place}：已在 {day} 发布的期次 {release} 中公示，现由 {old} 改为 {new}。{why}",
            why=_changed_in_place(change),
            **values,
        )
    entry = _correction_entry(change)
    if change.kind == "added" and isinstance(change.new, dict) and change.new.get("date") is None:
        return _(
            "{what} {place}：这一条补记进了已在 {day} 发布的期次 {release} 中公示的内容。已公示的内容不能补记；确属漏记的，请在 corrections.yaml 登记更正（{entry}，并写明 reason 和更正公告 notice）",
            entry=entry,
            **values,
        )
    if change.kind == "added" and isinstance(change.new, dict):
        return _(
            "{what} {place}：这一条补记进了已在 {day} 发布的期次 {release} 中公示的报表，日期 {date} 不晚于那一期的发布日。已公示的报表不能补记；确属漏记的，请在 corrections.yaml 登记更正（{entry}，并写明 reason 和更正公告 notice）",
            date=canonical(change.new.get("date")),
            entry=entry,
            **values,
        )
    if change.kind == "changed" and _price_of_a_period(change):
        return _(
            "{what} {place}：已在 {day} 发布的期次 {release} 中公示，现由 {old} 改为 {new}。已公示的收费标准不能改写。如是调价：请把这里改回 {old}，给这一期写上 to（新价格开始的前一天），在 periods 末尾新增一期写新价格和 from，并发布收费调整公告；如确属更正错误，请在 corrections.yaml 登记更正（{entry}，并写明 reason 和更正公告 notice）",
            entry=entry,
            **values,
        )
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


def _price_of_a_period(change: Change) -> bool:
    """A fee period's price (amount, regime, guide), the fields a fee rise would edit."""
    path = change.path
    return (
        path[:2] == ("fees", "standards")
        and len(path) >= 6
        and path[3] == "periods"
        and path[5] in ("amount", "regime", "guide")
    )


def _changed_in_place(change: Change) -> str:
    """Why an H010 change is allowed, and what it asks for."""
    if change.path[0] == "estate":
        return _("适用的规则配置决定核对什么：请确认这是当地规定的变化，并在公告中说明")
    if change.path[1] == "standards":
        return _(
            "这是还没有生效的预告调价：可以改期或修改，但居民已经看到原来的预告，请发布收费调整公告说明变更"
        )
    return _(
        "代收代缴和有偿服务的价格没有执行期间，改动会覆盖旧价：请发布收费调整公告说明调价和生效日期"
    )


def _correction_entry(change: Change) -> str:
    """What to write in corrections.yaml to state this change: path, old, new."""
    parts = [f"path: {dotted(change.path)}"]
    if _long(change.old) or _long(change.new) or isinstance(change.new, dict):
        return parts[0] + _("（内容较长，old 和 new 可以不填）")
    for name, value in (("old", change.old), ("new", change.new)):
        text = None if isinstance(value, dict) else canonical(value)
        parts.append(f"{name}: {text}" if text is not None else _("{name} 不填", name=name))
    return "，".join(parts)


LONG = 80  # characters: a notice's body is shown cut, and its correction need not copy it


def _shown(value: Any, other: Any = None) -> str:
    """A value as a message shows it; a long text, around where it differs from ``other``."""
    if isinstance(value, dict):
        return _("（整条）")
    text = canonical(value)
    if text is None:
        return _("（空）")
    if len(text) <= LONG:
        return text
    text = " ".join(text.split())  # a message is one line
    against = " ".join((canonical(other) or "").split()) if not isinstance(other, dict) else ""
    at = next((i for i, (x, y) in enumerate(zip(text, against, strict=False)) if x != y), 0)
    start = max(0, at - 10)
    return ("「……" if start else "「") + text[start : start + 30] + "……」"


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
            raised = period.amount > prev.amount and period.start not in old_amounts
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
    """H009: a fee change, vote, amendment or notice new in this step, dated before the release that did not show it."""
    if a.old is None or a.old.release is None:
        return
    day, rid = a.old.release.date, a.old.release.id
    for place, what, date, field_name in _new_dated(a):
        if date < day:
            message = _(
                "{what}写明的日期是 {date}，早于 {day} 发布的期次 {release}，但那一期并没有它。请写实际的日期；补记以前的事，请在正文或说明里写清楚",
                what=what, date=date, day=day, release=rid,
            )  # fmt: skip
            yield Diagnostic("H009", a.at(*place, field_name), message)


def _new_dated(a: Audit) -> Iterator[tuple[tuple[str | int, ...], str, dt.date, str]]:
    """(place, what, date, its field) of each fee change, vote, amendment and notice new in this step."""
    assert a.old is not None
    old, new = a.old.data, a.new.data
    shown = {(f.id, p.start) for f in (old.fees.standards if old.fees else []) for p in f.periods}
    for i, fee in enumerate(new.fees.standards if new.fees else []):
        moved = {p.amount for p in _periods(old, fee.id)}  # an announced change moved, not new
        for j, period in enumerate(fee.periods):
            if (fee.id, period.start) in shown or period.posted is None or period.amount in moved:
                continue
            what = _("收费标准 {fee} 自 {start} 起的调价", fee=fee.id, start=period.start)
            yield ("fees", "standards", i, "periods", j), what, period.posted, "posted"
    old_votes = {v.id for v in (old.votes.votes if old.votes else [])}
    for i, vote in enumerate(new.votes.votes if new.votes else []):
        if vote.id not in old_votes:
            yield ("votes", "votes", i), _("业主表决 {id}", id=vote.id), vote.date, "date"
    old_amendments = {
        m.id for c in (old.contracts.contracts if old.contracts else []) for m in c.amendments
    }
    for i, contract in enumerate(new.contracts.contracts if new.contracts else []):
        for j, m in enumerate(contract.amendments):
            if m.id not in old_amendments:
                what = _("合同 {id} 的补充协议 {amendment}", id=contract.id, amendment=m.id)
                yield ("contracts", "contracts", i, "amendments", j), what, m.date, "date"
    for notice_id, notice in new.notices.items():
        if notice_id not in old.notices:
            what = _("公告 {notice}（{category}）", notice=notice_id, category=notice.category)
            yield ("notices", notice_id), what, notice.date, "date"


def _periods(data: EstateData, fee_id: str) -> list[Any]:
    """A fee's periods in some data."""
    fees = data.fees.standards if data.fees else []
    return [p for f in fees if f.id == fee_id for p in f.periods]


def dated_after_release(a: Audit) -> Iterator[Diagnostic]:
    """D005: a line, vote, amendment, notice or correction new in this step, dated after the day it is published."""
    for place, what, date, field_name in (
        [*_new_dated(a), *_new_lines(a), *_new_records(a)]
        if a.old
        else [*_new_lines(a), *_new_records(a)]
    ):
        if field_name != "posted" and date > a.new.day:
            message = _(
                "{what}的日期 {date} 晚于这一期的发布日 {day}：还没有发生的事不能公示。请写实际的日期，或等它发生后在下一期公示",
                what=what, date=date, day=a.new.day,
            )  # fmt: skip
            yield Diagnostic("D005", a.at(*place, field_name), message)


def _new_lines(a: Audit) -> Iterator[tuple[tuple[str | int, ...], str, dt.date, str]]:
    """(place, what, date, its field) of each statement line and correction new in this step."""
    old = a.old.data if a.old is not None else None
    for kind in ("maintenance_fund", "public_revenue", "property_fees"):
        before = getattr(old.accounts, kind) if old is not None else {}
        for pid, st in getattr(a.new.data.accounts, kind).items():
            if before.get(pid) is st:  # the very statement (releases._shared): nothing new
                continue
            known = {
                e.id
                for side in ENTRY_SIDES
                for e in getattr(before.get(pid), side, []) or []
                if hasattr(e, "date")
            }
            for side in ENTRY_SIDES:
                for i, e in enumerate(getattr(st, side, []) or []):
                    if hasattr(e, "date") and e.id not in known:  # a cost line has no date
                        what = _(
                            "{kind} {pid} 的明细 {id}", kind=SECTION_NAMES[kind], pid=pid, id=e.id
                        )
                        yield ("accounts", kind, pid, side, i), what, e.date, "date"
    held = old.corrections.corrections if old is not None and old.corrections else []
    for i, c in enumerate(a.corrections):
        if c.id not in {x.id for x in held}:
            yield ("corrections", "corrections", i), _("更正 {id}", id=c.id), c.date, "date"
    if a.old is None:  # a first release: its votes, amendments and notices too
        new = a.new.data
        for i, vote in enumerate(new.votes.votes if new.votes else []):
            yield ("votes", "votes", i), _("业主表决 {id}", id=vote.id), vote.date, "date"
        for notice_id, notice in new.notices.items():
            what = _("公告 {notice}（{category}）", notice=notice_id, category=notice.category)
            yield ("notices", notice_id), what, notice.date, "date"


def _new_records(a: Audit) -> Iterator[tuple[tuple[str | int, ...], str, dt.date, str]]:
    """(place, what, date, its field) of each document, election, survey, review, 红黑榜 entry
    and meeting new in this step; recorded late is honest (no H009), recorded ahead is not."""
    new, old = a.new.data, a.old.data if a.old is not None else None
    for doc_id, doc in new.documents.items():
        if old is None or doc_id not in old.documents:
            yield ("documents", doc_id), _("制度文件 {id}", id=doc_id), doc.adopted, "adopted"
    for key, what, day_field in DATED_RECORDS:
        known = {x.id for x in _records(old, key)}
        for i, item in enumerate(_records(new, key)):
            if item.id not in known:
                day = item.period.end if day_field == ("period", "to") else item.date
                yield (*key, i, *day_field[:-1]), _(what, id=item.id), day, day_field[-1]


# the records with a day: (where their list is, how to name one, the field of its day)
DATED_RECORDS = (
    (("governance", "elections"), N_("选举 {id}"), ("date",)),
    (("evaluations", "surveys"), N_("调查 {id}"), ("period", "to")),
    (("evaluations", "reviews"), N_("评价 {id}"), ("date",)),
    (("evaluations", "ratings"), N_("红黑榜 {id}"), ("date",)),
    (("meetings", "meetings"), N_("会议 {id}"), ("date",)),
)


def _records(data: EstateData | None, key: tuple[str, str]) -> list[Any]:
    """The items of one list of governance.yaml, evaluations.yaml or meetings.yaml."""
    part = getattr(data, key[0], None) if data is not None else None
    return list(getattr(part, key[1])) if part is not None else []


RULES: list[Rule] = [
    rewrites,
    dated_after_release,
    fee_raised_without_basis,
    fund_spending_without_vote,
    collection_rate_falls,
    fund_balance_drops,
    backdated,
]


def audit(a: Audit, rules: list[Rule] | None = None) -> list[Diagnostic]:
    """Run every audit rule; return the findings in the order of the data."""
    return [finding for rule in (rules or RULES) for finding in rule(a)]
