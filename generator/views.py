"""What the outputs show: releases as views, and the figures pages and sheets need.

Pure functions over the model; templates call them by name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from .model import EstateData
from .model.accounts import (
    AccountingBasis,
    BuildingAccount,
    FeeStatement,
    FundStatement,
    RevenueStatement,
    Vote,
)
from .model.base import Period
from .model.contracts import Contract, ContractAmount
from .model.estate import Building, Channel, Estate, Person
from .model.evaluations import MeetingKind
from .model.fees import FeeStandard, PricePeriod
from .model.governance import PUBLIC_ROLES, Role, RoleKind
from .model.notices import Correction, Notice, Release
from .profiles import RuleProfile, VoteCount, VoteRule, vote_count, vote_rule
from .releases import fingerprint

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
ACCOUNT_PAGES = {
    "maintenance_fund": "fund.html",
    "public_revenue": "revenue.html",
    "property_fees": "property-fees.html",
    "complaint_handling": "complaints.html",
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


def P_(message: str) -> str:  # noqa: N802 - beside gettext's N_, for pages
    """Mark a page message written in code; the theme translates it (see catalog.py).

    The pages' counterpart of i18n.N_, which marks the command line's messages.
    """
    return message


# a page message (its Chinese text, the catalog's id) and the values its %(fields)s take;
# a value may itself be Words, a date or a number (see render.text.say)
Words = tuple[str, dict[str, Any]]

_QUARTERS = {
    1: P_("%(year)s 年第一季度"),
    4: P_("%(year)s 年第二季度"),
    7: P_("%(year)s 年第三季度"),
    10: P_("%(year)s 年第四季度"),
}


def _month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1


def period_words(period: Period) -> Words:
    """A statement's period as people name it: 2026 年上半年, 2025 年第四季度, 2025 年."""
    start, end = period.start, period.end
    whole = start.day == 1 and _month_end(end) and start.year == end.year
    months = (start.month, end.month)
    year = {"year": start.year}
    if whole and months == (1, 12):
        return P_("%(year)s 年"), year
    if whole and months in ((1, 6), (7, 12)):
        return (P_("%(year)s 年上半年") if start.month == 1 else P_("%(year)s 年下半年")), year
    if whole and start.month in _QUARTERS and end.month == start.month + 2:
        return _QUARTERS[start.month], year
    if whole and start.month == end.month:
        return P_("%(year)s 年 %(month)s 月"), {**year, "month": start.month}
    return P_("%(start)s至%(end)s"), {"start": start, "end": end}


def release_period(view: View) -> Period | None:
    """The period a release reports on: its newest statement's (the shortest, on a tie)."""
    a = view.data.accounts
    statements = [
        st.period
        for kind in (a.maintenance_fund, a.public_revenue, a.complaint_handling)
        for st in kind.values()
    ] + [st.period for st in a.property_fees.values()]
    if not statements:
        return None
    return max(statements, key=lambda p: (p.end, p.start))


def release_words(view: View) -> Words:
    """第 2 期（2026 年上半年）: a release as residents name it, never by its id."""
    period = release_period(view)
    if period is None:
        return P_("第 %(n)s 期"), {"n": view.number}
    return P_("第 %(n)s 期（%(period)s）"), {"n": view.number, "period": period_words(period)}


@dataclass(frozen=True)
class FeeStep:
    """A period of a fee, and the change it makes from the period before it."""

    period: PricePeriod
    before: PricePeriod | None

    @property
    def delta(self) -> Decimal | None:
        return self.period.amount - self.before.amount if self.before else None

    @property
    def percent(self) -> Decimal | None:
        if self.before is None or not self.before.amount:
            return None
        return (self.period.amount - self.before.amount) * 100 / self.before.amount

    @property
    def rise(self) -> bool:
        return bool(self.delta and self.delta > 0)


@dataclass(frozen=True)
class FeeNow:
    """A fee as of a day: the period in force, the changes announced, the periods past."""

    fee: FeeStandard
    current: FeeStep | None
    upcoming: list[FeeStep]
    past: list[FeeStep]

    @property
    def steps(self) -> list[FeeStep]:
        return self.past + ([self.current] if self.current else []) + self.upcoming


def fee_now(fee: FeeStandard, day: dt.date) -> FeeNow:
    """Which of a fee's periods is in force on ``day``, which are announced, which are over."""
    ordered = sorted(fee.periods, key=lambda p: p.start)
    steps = [FeeStep(p, ordered[i - 1] if i else None) for i, p in enumerate(ordered)]
    current = next(
        (
            s
            for s in steps
            if s.period.start <= day and (s.period.end is None or day <= s.period.end)
        ),
        None,
    )
    return FeeNow(
        fee,
        current,
        [s for s in steps if s.period.start > day],
        [s for s in steps if s.period.end is not None and s.period.end < day],
    )


def percent(share: Decimal | Fraction | None, places: str = "0.1") -> str:
    """A share (0.781) in percent (78.1%), rounded down: a share just under a line never reads as on it."""
    if share is None:
        return "—"
    if isinstance(share, Fraction):
        share = Decimal(share.numerator) / Decimal(share.denominator)
    return str((share * 100).quantize(Decimal(places), rounding=ROUND_DOWN)) + "%"


def signed_percent(value: Decimal | None) -> str:
    """+54.5% / −10.0%: a change in percent, rounded half-even to one place."""
    if value is None:
        return "—"
    rounded = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)
    return f"+{rounded}%" if rounded >= 0 else f"−{abs(rounded)}%"


def posting_state(period: Period | None, day: dt.date) -> str | None:
    """'before', 'during' or 'after' a posting period on ``day`` (None without one)."""
    if period is None:
        return None
    if day < period.start:
        return "before"
    return "during" if day <= period.end else "after"


@dataclass(frozen=True)
class ContractNow:
    """A contract as its amendments have made it by a day."""

    contract: Contract
    end: dt.date | None
    amount: ContractAmount
    extended: bool
    over: bool


def contract_now(contract: Contract, day: dt.date) -> ContractNow:
    """The contract's end and amount in force on ``day``, its amendments signed by then applied."""
    end, amount = contract.term.end, contract.amount
    for a in sorted(contract.amendments, key=lambda a: a.date):
        if a.date <= day:
            end, amount = a.end or end, a.amount or amount
    return ContractNow(
        contract, end, amount, end != contract.term.end, end is not None and end < day
    )


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


def newest(statements: dict[str, Any]) -> Any:
    """The newest of an account's statements, or None."""
    return max(statements.values(), key=lambda st: st.period.start, default=None)


def fund_series(data: EstateData) -> list[tuple[Words, Decimal]]:
    """The maintenance fund's closing balance at the end of each period, oldest first."""
    ordered = sorted(data.accounts.maintenance_fund.values(), key=lambda st: st.period.start)
    return [(period_words(st.period), st.closing) for st in ordered]


@dataclass(frozen=True)
class BuildingFund:
    """One building's fund account against its first deposit and the top-up line."""

    building: Building
    account: BuildingAccount
    share: Decimal | None  # the balance as a share of the first deposit
    line: Decimal | None  # the balance below which a top-up is due (元)
    per_m2: Decimal | None

    @property
    def below(self) -> bool:
        return self.line is not None and self.account.closing < self.line


def top_up_percent(profile: RuleProfile) -> Decimal | None:
    return profile.fund_top_up.percent if profile.fund_top_up else None


def building_funds(
    statement: FundStatement | None, estate: Estate, top_up: Decimal | None
) -> list[BuildingFund]:
    """Each building's account in a fund statement, with its share of the first deposit."""
    if statement is None:
        return []
    named = {b.id: b for b in estate.buildings}
    out = []
    for account in statement.buildings:
        building = named.get(account.building) or Building(
            id=account.building, name=account.building
        )
        first = building.fund_initial_deposit
        out.append(
            BuildingFund(
                building,
                account,
                account.closing / first if first else None,
                (first * top_up / 100).quantize(CENT) if first and top_up is not None else None,
                (account.closing / building.floor_area).quantize(CENT)
                if building.floor_area
                else None,
            )
        )
    return out


def per_m2(amount: Decimal, area: Decimal) -> Decimal | None:
    """An amount per ㎡ of floor area, to the fen."""
    return (amount / area).quantize(CENT) if area else None


@dataclass(frozen=True)
class VoteResult:
    """A vote judged by the rule in force on its date (None: the profile sets none)."""

    vote: Vote
    rule: VoteRule | None
    count: VoteCount | None

    @property
    def outcome(self) -> str | None:
        """'passed', 'failed' or 'too_few' (not enough owners took part)."""
        if self.count is None:
            return None
        if self.count.passes:
            return "passed"
        return "failed" if self.count.participation_met else "too_few"

    @property
    def shares(self) -> dict[str, tuple[Fraction, Fraction]]:
        """Shares of all owners taking part and approving, and of those taking part approving."""
        v = self.vote
        return {
            "taking_part": (_share(v.participating.area, v.total.area), _share(v.participating.headcount, v.total.headcount)),
            "approving": (_share(v.approving.area, v.total.area), _share(v.approving.headcount, v.total.headcount)),
            "of_taking_part": (_share(v.approving.area, v.participating.area), _share(v.approving.headcount, v.participating.headcount)),
        }  # fmt: skip


def _share(part: Decimal | int, whole: Decimal | int) -> Fraction:
    return Fraction(Decimal(part)) / Fraction(Decimal(whole)) if whole else Fraction(0)


def vote_result(profile: RuleProfile, vote: Vote) -> VoteResult:
    """A vote, the rule its profile applies on its date, and how its tallies stand against it."""
    rule = vote_rule(profile, vote.kind, vote.date)
    tallies = [(t.area, t.headcount) for t in (vote.total, vote.participating, vote.approving)]
    return VoteResult(vote, rule, vote_count(rule, *tallies) if rule else None)


FRACTIONS = {
    "1/2": P_("二分之一"),
    "1/3": P_("三分之一"),
    "2/3": P_("三分之二"),
    "3/4": P_("四分之三"),
    "4/5": P_("五分之四"),
}


def fraction_words(written: str) -> Words | str:
    """A threshold as a share in words: 2/3 → 三分之二."""
    share = Fraction(written)
    key = f"{share.numerator}/{share.denominator}"
    if key in FRACTIONS:
        return FRACTIONS[key], {}
    return percent(share, "0.01")


@dataclass(frozen=True)
class ContactLine:
    """One way to reach someone: each phone number once."""

    name: str
    phone: str | None = None
    url: str | None = None
    hours: str | None = None
    address: str | None = None
    role: Words | None = None


def _digits(phone: str | None) -> str:
    return "".join(ch for ch in (phone or "").split("转")[0] if ch.isdigit())


def contact_groups(
    estate: Estate | None, authority: list[Channel]
) -> list[tuple[Words, list[ContactLine]]]:
    """Who to call, each number once: the firm, the committee, then who supervises them."""
    groups: list[tuple[Words, list[ContactLine]]] = []
    seen: dict[str, ContactLine] = {}
    channels = list(estate.complaints) if estate else []
    if estate is not None:
        hotline = ContactLine(estate.firm.name, estate.firm.hotline, role=(P_("服务热线"), {}))
        firm = _with_channel(hotline, channels)
        groups.append(((P_("物业"), {}), [firm]))
        committee = estate.committee
        if committee is not None and committee.phone:
            line = _with_channel(ContactLine(committee.name, committee.phone), channels)
            groups.append(((str(committee.kind.value), {}), [line]))
        seen = {_digits(line.phone): line for _, lines in groups for line in lines}
    watch = []
    for c in channels + list(authority):
        if c.phone and _digits(c.phone) in seen:
            continue
        line = ContactLine(c.name, c.phone, c.url, c.hours, c.address)
        seen[_digits(c.phone) or c.name] = line
        watch.append(line)
    if watch:
        groups.append(((P_("监督和投诉"), {}), watch))
    return groups


def objection_contacts(
    estate: Estate, authority: list[Channel]
) -> tuple[ContactLine, ContactLine | None]:
    """Who hears an objection to a release: the committee (else the firm), and who supervises."""
    groups = contact_groups(estate, authority)
    parties = [lines[0] for label, lines in groups if label[0] != P_("监督和投诉")]
    watch = next((lines[0] for label, lines in groups if label[0] == P_("监督和投诉")), None)
    return parties[-1], watch


def _with_channel(line: ContactLine, channels: list[Channel]) -> ContactLine:
    """A party's line, with the hours and address of a complaint channel on the same number."""
    same = next((c for c in channels if c.phone and _digits(c.phone) == _digits(line.phone)), None)
    if same is None:
        return line
    return ContactLine(line.name, line.phone, same.url, same.hours, same.address, line.role)


def public_people(people: list[Person]) -> list[Person]:
    """Only people marked public are ever shown."""
    return [p for p in people if p.public]


def score_100(score: Decimal, out_of: Decimal) -> Decimal:
    """A score on a scale of 100, to one place: the figure to compare across estates."""
    return (score * 100 / out_of).quantize(Decimal("0.1")) if out_of else Decimal("0.0")


def share(part: int, whole: int) -> Fraction | None:
    """part / whole as an exact share, None when there is no whole."""
    return Fraction(part, whole) if whole else None


def by_category_items(items: list[Any]) -> list[tuple[str | None, list[Any]]]:
    """Survey items grouped by their category, in the order they are written."""
    groups: dict[str | None, list[Any]] = {}
    for item in items:
        groups.setdefault(item.category, []).append(item)
    return list(groups.items())


def newest_record(items: list[Any]) -> Any:
    """The newest of a list of dated records (by date, else by the end of its period), or None."""
    return max(items, key=lambda x: getattr(x, "date", None) or x.period.end, default=None)


def complaints_per_100(received: int, households: int) -> Decimal | None:
    """Complaints received per 100 households: the figure to compare across estates."""
    return (Decimal(received) * 100 / households).quantize(Decimal("0.1")) if households else None


def within_year(records: list[Any], day: dt.date) -> list[Any]:
    """The dated records of the year up to ``day``, newest first: what a sheet has room for."""
    since = day - dt.timedelta(days=365)
    return sorted((r for r in records if since < r.date <= day), key=lambda r: r.date, reverse=True)


@dataclass(frozen=True)
class ReceptionTally:
    """Reception days held, and the problems raised and solved there."""

    days: int
    raised: int
    solved: int


def reception_tally(meetings: list[Any]) -> ReceptionTally:
    """The reception days among meetings, counted: as the county counts its 190 sessions."""
    held = [m for m in meetings if m.kind is MeetingKind.RECEPTION]
    return ReceptionTally(
        len(held), sum(m.raised or 0 for m in held), sum(m.solved or 0 for m in held)
    )


def notices_in_posting(notices: dict[str, Notice], day: dt.date | None) -> list[Notice]:
    """Notices whose posting period covers ``day`` (every notice when there is no day)."""
    ordered = sorted(notices.values(), key=lambda n: (n.date, n.id), reverse=True)
    if day is None:
        return ordered
    return [n for n in ordered if n.posting is None or n.posting.start <= day <= n.posting.end]


def shown(person: Person | None, role_public: bool = True) -> Person | None:
    """A person as published: only with their consent (public), and only in a public role."""
    return person if person is not None and person.public and role_public else None


def role_holder(role: Role) -> Person | None:
    """Who holds a role, where it may be said: never a resident serving as 楼道长 and the like."""
    return shown(role.holder, role.kind in PUBLIC_ROLES)


def roles_by_kind(roles: list[Role]) -> list[tuple[RoleKind, list[Role]]]:
    """Roles grouped by their kind, as written; the roles of public officials first."""
    groups: dict[RoleKind, list[Role]] = {}
    for role in roles:
        groups.setdefault(role.kind, []).append(role)
    return sorted(groups.items(), key=lambda kv: kv[0] not in PUBLIC_ROLES)


def public_data(data: EstateData) -> dict[str, Any]:
    """The estate's data as published: people not marked public, and residents, are withheld."""
    dumped = data.model_dump(mode="json", by_alias=True)
    committee = dumped["estate"].get("committee")
    if committee is not None:
        committee["members"] = [m for m in committee["members"] if m.get("public")]
    governance = dumped.get("governance")
    if governance is not None and data.governance is not None:
        for org, held in zip(governance["party"], data.governance.party, strict=True):
            org["secretary"] = org["secretary"] if shown(held.secretary) else None
        for role, holding in zip(governance["roles"], data.governance.roles, strict=True):
            role["holder"] = role["holder"] if role_holder(holding) else None
    return dumped


def withheld(path: tuple[str, ...], tree: dict[str, Any]) -> bool:
    """Whether a change's place (diff.Change.path) lies inside a person the outputs withhold.

    A committee member is named by their name in the path; a role's holder and a
    party branch's secretary are fields of an item named by its id.
    """
    if path[:3] == ("estate", "committee", "members") and len(path) > 3:
        committee = tree["estate"].get("committee") or {}
        member = next((m for m in committee.get("members", []) if m.get("name") == path[3]), None)
        return member is None or not member.get("public")
    if path[:1] != ("governance",) or len(path) < 4 or path[3] not in ("holder", "secretary"):
        return False
    item = _by_id((tree.get("governance") or {}).get(path[1], []), path[2])
    person = (item or {}).get(path[3]) or {}
    public_role = path[1] != "roles" or (item or {}).get("kind") in PUBLIC_ROLES
    return not (person.get("public") and public_role)


def _by_id(items: list[dict[str, Any]], item_id: str) -> dict[str, Any] | None:
    return next((x for x in items if x.get("id") == item_id), None)


def breakpoints(data: EstateData, release: Release | None) -> list[dt.date]:
    """The days on which a page of this data, shown as of a day, reads differently.

    A fee period starts or ends, a notice's or the release's posting begins or
    ends, a contract's amendment is signed or its term runs out, a committee's
    term runs out. Between two of these days the pages are the same.
    """
    after = dt.timedelta(days=1)
    days: set[dt.date] = set()
    for fee in data.fees.standards if data.fees else []:
        for p in fee.periods:
            days |= {p.start} | ({p.end + after} if p.end else set())
    postings = [n.posting for n in data.notices.values() if n.posting]
    for period in postings + ([release.posting] if release else []):
        days |= {period.start, period.end + after}
    for c in data.contracts.contracts if data.contracts else []:
        days |= {a.date for a in c.amendments} | {
            e + after for e in (c.term.end, *(a.end for a in c.amendments)) if e
        }
    committee = data.estate.committee
    if committee is not None and committee.term.end:
        days.add(committee.term.end + after)
    return sorted(days)


def street_page(city: str, district: str, street: str) -> str:
    """A street's file name: its full name in letters and digits only (the same for its
    comparison page, its list of estates, its print file and its overview)."""
    full = f"{city}{district}{street}"
    name = "".join(ch for ch in full if ch.isalnum())
    if len(name) > 40 or not name:  # names are data: keep them short and distinct
        name = f"{name[:32]}-{hashlib.sha256(full.encode()).hexdigest()[:8]}"
    return name


TEMPLATE_GLOBALS = {
    "street_page": street_page,
    "correction_words": lambda line, fix: correction_words(line, fix),
    "fee_now": fee_now,
    "contract_now": contract_now,
    "posting_state": posting_state,
    "newest_first": newest_first,
    "newest": newest,
    "totals": totals,
    "fee_totals": fee_totals,
    "by_category": by_category,
    "public_people": public_people,
    "shown": shown,
    "role_holder": role_holder,
    "roles_by_kind": roles_by_kind,
    "score_100": score_100,
    "share": share,
    "by_category_items": by_category_items,
    "newest_record": newest_record,
    "complaints_per_100": complaints_per_100,
    "reception_tally": reception_tally,
    "within_year": within_year,
    "notices_in_posting": notices_in_posting,
    "period_words": period_words,
    "release_words": release_words,
    "release_period": release_period,
    "building_funds": building_funds,
    "top_up_percent": top_up_percent,
    "per_m2": per_m2,
    "vote_result": vote_result,
    "fraction_words": fraction_words,
    "contact_groups": contact_groups,
    "objection_contacts": objection_contacts,
    "percent": percent,
    "signed_percent": signed_percent,
    "ACCOUNT_PAGES": ACCOUNT_PAGES,
}


SECTIONS = {
    "estate": P_("基本情况"),
    "fees": P_("收费标准"),
    "contracts": P_("合同"),
    "services": P_("四保服务"),
    "votes": P_("业主表决"),
    "maintenance_fund": P_("专项维修资金"),
    "public_revenue": P_("公共收益"),
    "property_fees": P_("物业费收支"),
    "notices": P_("公告"),
    "corrections": P_("更正"),
    "complaint_handling": P_("投诉处理"),
    "governance": P_("党建和业委会"),
    "evaluations": P_("服务评价"),
    "meetings": P_("会议和接待"),
    "documents": P_("管理规约等制度"),
}


# the topic page showing each section's corrections (the overview and the release page show
# all; any other page, none)
CORRECTED_ON = {
    "fees.html": {"fees"},
    "contracts.html": {"contracts"},
    "services.html": {"services"},
    "evaluations.html": {"evaluations"},
    "complaints.html": {"complaint_handling"},
    "votes.html": {"votes"},
    "meetings.html": {"meetings"},
    "governance.html": {"governance", "documents"},
    "fund.html": {"maintenance_fund"},
    "revenue.html": {"public_revenue"},
    "property-fees.html": {"property_fees"},
    "notices.html": {"notices"},
}


def corrected_section(fix: Correction) -> str:
    """The section a correction puts right, by its path: accounts.maintenance_fund… is the fund."""
    parts = fix.path.strip().split(".")
    return parts[1] if parts[0] == "accounts" and len(parts) > 1 else parts[0]


def correction_words(line: Any, fix: Correction) -> Words:
    """A correction in one sentence: 更正：where，old → new；why (the day it was made)."""
    return (
        P_(
            "更正：%(section)s · %(where)s，由 %(old)s 改为 %(new)s；原因：%(reason)s（%(day)s 更正）"
        ),
        {
            "section": (line.section, {}),
            "where": (
                " · ".join(f"%(w{i})s" for i in range(len(line.where))),
                {f"w{i}": part for i, part in enumerate(line.where)},
            ),
            "old": line.old if line.old not in (None, "", []) else (P_("（空）"), {}),
            "new": line.new if line.new not in (None, "", []) else (P_("（删除）"), {}),
            "reason": fix.reason,
            "day": fix.date,
        },
    )
