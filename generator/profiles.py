"""Rule profiles: what a regulation requires, as data; and an estate checked against one as of a date.

Profiles are YAML files in ``generator/profiles/`` (a site may add its own in
``profiles/`` beside site.yaml). A profile may extend another: requirements
are replaced by id, every other setting by name. Each finding names the
article it enforces.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import chinese_calendar
from pydantic import Field

from .content import parse
from .errors import Diagnostic, GeneratorError, Location
from .i18n import _
from .load import load_file
from .model import EstateData
from .model.accounts import VoteKind
from .model.base import Base, Date, Id, Text
from .model.estate import ACCOUNT_KEYS, ManagementMode
from .model.evaluations import Evaluations, MeetingKind

PACKAGED = Path(__file__).resolve().parent / "profiles"
RELEASE = "__release__"  # a locator path into the release's metadata rather than its data


class Frequency(StrEnum):
    CONTINUOUS = "continuous"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half-yearly"
    YEARLY = "yearly"


class Section(StrEnum):
    FEES = "fees"
    CONTRACTS = "contracts"
    SERVICES = "services"
    VOTES = "votes"
    FUND = "maintenance_fund"
    REVENUE = "public_revenue"
    PROPERTY_FEES = "property_fees"
    NOTICES = "notices"
    COMPLAINTS = "complaint_handling"
    GOVERNANCE = "governance"
    DOCUMENTS = "documents"
    SURVEYS = "surveys"
    REVIEWS = "reviews"
    MEETINGS = "meetings"
    FEE_MEETINGS = "fee_meetings"


STATEMENTS = frozenset({Section.FUND, Section.REVENUE, Section.PROPERTY_FEES, Section.COMPLAINTS})


class Requirement(Base):
    id: Id = Field(
        description="要求编号；子配置用同一编号替换 / id; a child profile replaces it by id"
    )
    section: Section = Field(description="须公示的内容 / what must be disclosed")
    title: Text = Field(description="名称 / title")
    frequency: Frequency = Field(description="continuous、quarterly、half-yearly 或 yearly")
    due_days: int = Field(
        default=30, ge=0, description="期末后多少日内公布 / days after the period's end"
    )
    applies_to: list[ManagementMode] = Field(
        default=[], description="只适用于这些收费方式（空：全部）/ modes it applies to"
    )
    article: Text = Field(description="依据条款 / the article it comes from")


class DayUnit(StrEnum):
    CALENDAR = "calendar"
    WORKING = "working"


class Posting(Base):
    days: int = Field(ge=1, description="公示期至少多少日 / minimum posting period")
    unit: DayUnit = Field(description="calendar（自然日）或 working（工作日）")
    article: Text


class FeeNotice(Base):
    days: int = Field(ge=0, description="调价须提前公示的天数 / days of notice before a fee change")
    article: Text


class VoteBasis(StrEnum):
    ALL_OWNERS = "all_owners"
    PARTICIPATING = "participating"


class VoteRule(Base):
    since: Date | None = Field(default=None, description="自该日起适用 / applies from")
    until: Date | None = Field(default=None, description="适用至该日 / applies until")
    basis: VoteBasis = Field(
        description="all_owners：按全体业主计；participating：按参与表决的业主计"
    )
    participation: Text = Field(
        default="0",
        description="参与比例下限，如 2/3（面积和人数）/ minimum share taking part, e.g. 2/3",
    )
    approval: Text = Field(description="同意比例，如 1/2 / share that must approve, e.g. 1/2")
    more_than: bool = Field(
        default=False, description="true：须超过该比例；false：达到即可 / strictly more than"
    )
    kinds: list[VoteKind] = Field(min_length=1, description="适用的表决事项 / matters it governs")
    article: Text


class TopUp(Base):
    percent: Decimal = Field(
        description="余额低于首期归集的百分比时须续筹 / top-up trigger, percent of the initial deposit"
    )
    article: Text


class RuleProfile(Base):
    id: Id
    name: Text
    extends: Id | None = None
    requirements: list[Requirement] = []
    posting: Posting | None = None
    fee_notice: FeeNotice | None = None
    votes: list[VoteRule] = []
    fund_top_up: TopUp | None = None


class ProfileError(GeneratorError):
    """A rule profile that does not exist or does not load."""


def _load_one(name: str, site: Path | None) -> RuleProfile:
    for folder in ([site / "profiles"] if site else []) + [PACKAGED]:
        path = folder / f"{name}.yaml"
        if path.is_file():
            located, problems = load_file(path, path.name)
            profile, found = parse(RuleProfile, located) if not problems else (None, problems)
            if profile is None:
                raise ProfileError("\n".join(d.format() for d in found))
            assert isinstance(profile, RuleProfile)
            return profile
    raise ProfileError(
        _(
            "找不到规则配置 {name}（内置的有：{shipped}；站点自己的配置放在 profiles/{name}.yaml）",
            name=name,
            shipped=", ".join(available()),
        )
    )


def available() -> list[str]:
    return sorted(p.stem for p in PACKAGED.glob("*.yaml"))


LAW = "national"  # the baseline: what the law asks everywhere; a local profile may only ask more


@cache
def load_profile(name: str, site: Path | None = None) -> RuleProfile:
    """A profile with everything it extends merged in; refused if its votes ask less than the law."""
    profile = _merged(name, site)
    if name != LAW:
        law = _merged(LAW, None)
        for kind, day in laxer_votes(profile, law):
            raise ProfileError(
                _(
                    "规则配置 {name} 对“{kind}”（{day} 表决的）要求的表决比例低于法律规定（{article}）：地方规定可以更严，不能更松",
                    name=name,
                    kind=kind,
                    day=day,
                    article=(vote_rule(law, kind, day) or law.votes[0]).article,
                )
            )
    return profile


def _merged(name: str, site: Path | None) -> RuleProfile:
    profile = _load_one(name, site)
    if profile.extends is None:
        return profile
    base = _merged(profile.extends, site)
    mine = {r.id for r in profile.requirements}
    return RuleProfile(
        id=profile.id,
        name=profile.name,
        extends=profile.extends,
        requirements=[r for r in base.requirements if r.id not in mine]
        + list(profile.requirements),
        posting=profile.posting or base.posting,
        fee_notice=profile.fee_notice or base.fee_notice,
        votes=profile.votes or base.votes,
        fund_top_up=profile.fund_top_up or base.fund_top_up,
    )


def working_days(start: dt.date, end: dt.date) -> int:
    """Working days from start to end, both included, by the mainland China calendar.

    The calendar (chinese-calendar) knows each year's holidays once the State
    Council announces them; for a year it does not know yet, weekdays count.
    """
    days = 0
    for offset in range((end - start).days + 1):
        day = start + dt.timedelta(days=offset)
        try:
            days += chinese_calendar.is_workday(day)
        except NotImplementedError:
            days += day.weekday() < 5
    return days


def period_ends(frequency: Frequency, before: dt.date) -> Iterator[dt.date]:
    """Ends of the periods of a frequency, newest first, up to ``before``."""
    months = {
        Frequency.QUARTERLY: (3, 6, 9, 12),
        Frequency.HALF_YEARLY: (6, 12),
        Frequency.YEARLY: (12,),
    }[frequency]
    year = before.year
    while year > before.year - 3:
        for month in reversed(months):
            end = dt.date(year, month, 1).replace(day=28) + dt.timedelta(days=4)
            end -= dt.timedelta(days=end.day)
            if end <= before:
                yield end
        year -= 1


def period_start(frequency: Frequency, end: dt.date) -> dt.date:
    """The first day of the period of a frequency that ends on ``end``."""
    months = {Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6, Frequency.YEARLY: 12}[frequency]
    month = end.month - months + 1
    year = end.year + (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1)


@dataclass(frozen=True)
class Published:
    """One release of an estate, as the profile check sees it; or its working copy, as the next one."""

    data: EstateData
    release_id: str
    day: dt.date
    posting: tuple[dt.date, dt.date] | None  # None: the working copy, not posted yet
    locate: Any  # Locator: data path -> Location

    @property
    def working(self) -> bool:
        return self.posting is None


def evaluate(
    profile: RuleProfile, releases: list[Published], as_of: dt.date, fallback: Location
) -> list[Diagnostic]:
    """Check an estate's releases against a profile as of a date; a working copy last is the next release."""
    published = [r for r in releases if r.day <= as_of]
    if not published:
        message = _("还没有发布任何一期公示，居民看不到任何内容（{profile}）", profile=profile.name)
        return [Diagnostic("P001", fallback, message, "尚未发布任何一期公示")]
    latest = published[-1]
    out = list(_sections(profile, published, latest, as_of))
    out += _posting(profile, published)
    out += _fee_notice(profile, published)
    out += _earlier_disclosures(published)
    out += _votes(profile, latest)
    out += _top_up(profile, latest)
    return out


def valid_between(
    profile: RuleProfile, releases: list[Published], as_of: dt.date
) -> tuple[dt.date, dt.date]:
    """The days, first included and last not, over which ``evaluate`` finds what it finds on ``as_of``.

    What a profile finds turns on the day only where a release is published
    and where a statement falls due (the day after its deadline): between
    two such days, every day gives the same findings, in the same words.
    """
    turns = {r.day for r in releases if not r.working}
    for req in profile.requirements:
        if req.frequency is Frequency.CONTINUOUS:
            continue
        for last in (dt.date(as_of.year + 1, 12, 31), dt.date(as_of.year - 2, 12, 31)):
            turns |= {
                end + dt.timedelta(days=req.due_days + 1)
                for end in period_ends(req.frequency, last)
            }
    since = max((d for d in turns if d <= as_of), default=dt.date.min)
    until = min((d for d in turns if d > as_of), default=dt.date.max)
    return since, until


def _present(data: EstateData, section: Section) -> bool:
    if section in STATEMENTS:
        return bool(getattr(data.accounts, section.value))
    if section in RECORDS:
        return bool(RECORDS[section][0](data))
    part = getattr(data, section.value)
    return bool(part) if section in (Section.NOTICES, Section.DOCUMENTS) else part is not None


def _evaluations(data: EstateData) -> Any:
    return data.evaluations or Evaluations()


# the sections a requirement counts by their records, each with the span of days it covers:
# a review covers the period it reviewed (or a longer one), as a statement does; a survey or
# a fee meeting covers the period it was held in
RECORDS: dict[Section, tuple[Callable[[EstateData], list[Any]], Callable[[Any], tuple[dt.date, dt.date]], bool]] = {
    Section.SURVEYS: (lambda d: _evaluations(d).surveys, lambda x: (x.period.end, x.period.end), False),
    Section.REVIEWS: (lambda d: _evaluations(d).reviews, lambda x: (x.period.start, x.period.end), True),
    Section.FEE_MEETINGS: (
        lambda d: [m for m in (d.meetings.meetings if d.meetings else []) if m.kind is MeetingKind.FEES],
        lambda x: (x.date, x.date),
        False,
    ),
}  # fmt: skip
# where a finding about a missing record points: the list it belongs in
PLACES = {
    Section.SURVEYS: ("evaluations", "surveys"),
    Section.REVIEWS: ("evaluations", "reviews"),
    Section.FEE_MEETINGS: ("meetings", "meetings"),
}


def covers(data: EstateData, section: Section, start: dt.date, end: dt.date) -> bool:
    """Whether the data holds what a period (start to end) asks of a section.

    A statement reaching the period's end covers it, as a review of it does;
    a survey (by its last day) or a fee meeting covers the period it was held in.
    """
    if section in STATEMENTS:
        return any(s.period.end >= end for s in getattr(data.accounts, section.value).values())
    items, span, reviewed = RECORDS[section]
    if reviewed:
        return any(span(x)[1] >= end for x in items(data))
    return any(start <= span(x)[1] <= end for x in items(data))


def _holds_day(data: EstateData, section: Section, day: dt.date) -> bool:
    """Whether a statement of the section has ``day`` in its period (covers asks less: one
    reaching past the day covers it, as an estate's first statement here does)."""
    return any(
        s.period.start <= day <= s.period.end
        for s in getattr(data.accounts, section.value).values()
    )


def _place(section: Section) -> tuple[str, ...]:
    return (
        ("accounts", section.value)
        if section in STATEMENTS
        else PLACES.get(section, (section.value,))
    )


def _sections(
    profile: RuleProfile, published: list[Published], latest: Published, as_of: dt.date
) -> Iterator[Diagnostic]:
    mode = latest.data.estate.management_mode
    for req in profile.requirements:
        if req.applies_to and mode not in req.applies_to:
            continue
        if req.frequency is Frequency.CONTINUOUS:
            if not _present(latest.data, req.section):
                where = _("工作副本") if latest.working else _("期次 {id}", id=latest.release_id)
                message = _(
                    "缺少「{title}」：{where}中没有这部分内容，规则要求一直公示（{article}）",
                    title=req.title,
                    where=where,
                    article=req.article,
                )
                yield Diagnostic(
                    "P001", latest.locate(()), message, f"{req.title}：最新一期公示中没有"
                )
            continue
        yield from _late(req, published, as_of)


def _disclosed_before(data: EstateData, section: Section, end: dt.date) -> dt.date | None:
    """The day a statement covering ``end`` was posted before the estate used this system."""
    days = [
        d.posted
        for d in data.estate.earlier_disclosures
        if ACCOUNT_KEYS[d.account] == section.value and d.period.end >= end
    ]
    return min(days) if days else None


def _late(req: Requirement, published: list[Published], as_of: dt.date) -> Iterator[Diagnostic]:
    latest = published[-1]
    for end in period_ends(req.frequency, as_of):
        due = end + dt.timedelta(days=req.due_days)
        if due >= as_of:
            continue  # not due yet: look at the period before
        start = period_start(req.frequency, end)
        first = next((r for r in published if covers(r.data, req.section, start, end)), None)
        earlier = _disclosed_before(latest.data, req.section, end)
        if earlier is not None and (first is None or earlier < first.day):
            if earlier > due:
                message = _(
                    "「{title}」截至 {end} 的一期应于 {due} 前公布，{posted} 才公示（{article}）",
                    title=req.title, end=end, due=due, posted=earlier, article=req.article,
                )  # fmt: skip
                zh = f"{req.title}：截至 {end} 的一期应于 {due} 前公布，{earlier} 才公布"
                yield Diagnostic(
                    "P002", latest.locate(("estate", "earlier_disclosures")), message, zh
                )
        elif first is None:
            message = _(
                "「{title}」截至 {end} 的一期应于 {due} 前公布，至今仍未公布（{article}）",
                title=req.title, end=end, due=due, article=req.article,
            )  # fmt: skip
            zh = f"{req.title}：截至 {end} 的一期应于 {due} 前公布，至今仍未公布"
            yield Diagnostic("P002", latest.locate(_place(req.section)), message, zh)
        elif first.working:
            message = _(
                "「{title}」截至 {end} 的一期应于 {due} 前公布，已经逾期；它在工作副本中，还没有发布，请尽快发布（{article}）",
                title=req.title, end=end, due=due, article=req.article,
            )  # fmt: skip
            if req.section in STATEMENTS and not _holds_day(first.data, req.section, end):
                message = _(
                    "「{title}」截至 {end} 的一期应于 {due} 前公布，已经逾期，本系统里没有含这一天的报表。以前已经在公示栏公示过的，请在 estate.yaml 的 earlier_disclosures 里登记公示日期；没有公示过的，请补上这一期的报表并尽快发布（{article}）",
                    title=req.title, end=end, due=due, article=req.article,
                )  # fmt: skip
            zh = f"{req.title}：截至 {end} 的一期应于 {due} 前公布，至今仍未公布"
            yield Diagnostic("P002", first.locate(_place(req.section)), message, zh)
        elif first.day > due:
            message = _(
                "「{title}」截至 {end} 的一期应于 {due} 前公布，{day} 才在期次 {release} 中公布（{article}）",
                title=req.title, end=end, due=due, day=first.day, release=first.release_id,
                article=req.article,
            )  # fmt: skip
            if req.section in STATEMENTS and not _holds_day(first.data, req.section, end):
                message = _(
                    "「{title}」截至 {end} 的一期应于 {due} 前公布；本系统里到这一天的报表，{day} 才在期次 {release} 中公布，而且不含这一天。以前已经在公示栏公示过的，请在 estate.yaml 的 earlier_disclosures 里登记公示日期（{article}）",
                    title=req.title, end=end, due=due, day=first.day, release=first.release_id,
                    article=req.article,
                )  # fmt: skip
            zh = f"{req.title}：截至 {end} 的一期应于 {due} 前公布，{first.day} 才公布"
            yield Diagnostic("P002", first.locate(_place(req.section)), message, zh)
        return  # only the most recent period that is due


def _earlier_disclosures(published: list[Published]) -> Iterator[Diagnostic]:
    """P007: a statement recorded as posted on paper after the estate's first release here."""
    first, latest = published[0], published[-1]
    for i, earlier in enumerate(latest.data.estate.earlier_disclosures):
        if earlier.posted >= first.day:
            message = _(
                "“以前已公示”的记录（{account}，{start} 至 {end}）写明 {posted} 公示，但本小区在 {first} 已经用本系统发布了第一期：此后的报表要通过发布期次公示，不能补记为纸质公示",
                account=earlier.account, start=earlier.period.start, end=earlier.period.end,
                posted=earlier.posted, first=first.day,
            )  # fmt: skip
            place = ("estate", "earlier_disclosures", i, "posted")
            yield Diagnostic("P007", latest.locate(place), message)


def _posting(profile: RuleProfile, published: list[Published]) -> Iterator[Diagnostic]:
    rule = profile.posting
    if rule is None:
        return
    for r in published:
        if r.posting is None:
            continue
        start, end = r.posting
        working = rule.unit is DayUnit.WORKING
        length = working_days(start, end) if working else (end - start).days + 1
        if length < rule.days:
            unit = _("个工作日") if working else _("天")
            message = _(
                "期次 {release} 的公示期是 {start} 至 {end}，共 {length}{unit}；规则要求至少 {days}{unit}（{article}）",
                release=r.release_id, start=start, end=end, length=length, unit=unit,
                days=rule.days, article=rule.article,
            )  # fmt: skip
            yield Diagnostic("P003", r.locate((RELEASE, "posting")), message)


def _fee_notice(profile: RuleProfile, published: list[Published]) -> Iterator[Diagnostic]:
    """P004, for each release: a rise it shows first, posted with too little notice.

    Judged in the release that first showed the rise, so a later edit of the
    posted day cannot take the finding back; a fee continued under another
    id (the same item for the same property) is the same fee.
    """
    rule = profile.fee_notice
    if rule is None:
        return
    shown: set[tuple[tuple[str, str], dt.date]] = set()
    for release in published:
        for key, place, prev, period in _rises(release.data):
            if (key, period.start) in shown:
                continue
            deadline = period.start - dt.timedelta(days=rule.days)
            if period.posted is None or period.posted > deadline:
                when = (
                    _("{posted} 才公示", posted=period.posted)
                    if period.posted
                    else _("没有写调价公示日期（posted）")
                )
                message = _(
                    "收费标准 {fee}：自 {start} 起由 {old} 上调为 {amount}，{when}；应在 {deadline} 前公示（{article}）",
                    fee=key[0], start=period.start, old=prev.amount, amount=period.amount,
                    when=when, deadline=deadline, article=rule.article,
                )  # fmt: skip
                field_name = "posted" if period.posted else "from"
                yield Diagnostic("P004", release.locate((*place, field_name)), message)
        shown |= {(key, period.start) for key, _p, _prev, period in _rises(release.data)}


def _rises(data: EstateData) -> Iterator[tuple[tuple[str, str], tuple[str | int, ...], Any, Any]]:
    """(series, place, previous period, period) of each rise: a period dearer than the one before
    it in its series, the fee's item for the same property, whatever the fee's id."""
    series: dict[tuple[str, str], list[tuple[tuple[str | int, ...], Any]]] = {}
    for i, fee in enumerate(data.fees.standards if data.fees else []):
        key = (fee.item.strip(), fee.applies_to.strip())
        for j, period in enumerate(fee.periods):
            series.setdefault(key, []).append((("fees", "standards", i, "periods", j), period))
    for key, periods in series.items():
        ordered = sorted(periods, key=lambda pp: pp[1].start)
        for (_a, prev), (place, period) in zip(ordered, ordered[1:], strict=False):
            if period.amount > prev.amount:
                yield key, place, prev, period


def vote_rule(profile: RuleProfile, kind: VoteKind, day: dt.date) -> VoteRule | None:
    """The rule in force for a matter on a day."""
    for rule in profile.votes:
        if (
            kind in rule.kinds
            and (rule.since is None or rule.since <= day)
            and (rule.until is None or day <= rule.until)
        ):
            return rule
    return None


def vote_passes(
    rule: VoteRule,
    total: tuple[Decimal, int],
    taking_part: tuple[Decimal, int],
    yes: tuple[Decimal, int],
) -> bool:
    """Whether (area, headcount) tallies meet a rule, on area and on headcount alike."""
    return vote_count(rule, total, taking_part, yes).passes


@dataclass(frozen=True)
class VoteCount:
    """A vote's tallies against a rule, each share as (area, headcount)."""

    taking_part: tuple[Fraction, Fraction]  # of all owners
    approving: tuple[Fraction, Fraction]  # of the rule's base: all owners, or those taking part
    participation_met: bool
    approval_met: bool
    passes: bool


def vote_count(
    rule: VoteRule,
    total: tuple[Decimal, int],
    taking_part: tuple[Decimal, int],
    yes: tuple[Decimal, int],
) -> VoteCount:
    """The shares a rule is judged on, whether enough owners took part, and whether it passes."""
    taking, approving = Fraction(rule.participation), Fraction(rule.approval)  # exact: 2/3 is 2/3
    shares: list[tuple[Fraction, Fraction]] = []  # (taking part, approving) of area, of headcount
    met = approved = True
    for measure in (0, 1):
        whole, part, approve = (Fraction(Decimal(t[measure])) for t in (total, taking_part, yes))
        if rule.basis is VoteBasis.PARTICIPATING and (whole == 0 or part < whole * taking):
            met = False
        base = whole if rule.basis is VoteBasis.ALL_OWNERS else part
        need = base * approving
        if base == 0 or (approve <= need if rule.more_than else approve < need):
            approved = False
        shares.append(
            (part / whole if whole else Fraction(0), approve / base if base else Fraction(0))
        )
    (area_took, area_yes), (people_took, people_yes) = shares
    return VoteCount(
        (area_took, people_took), (area_yes, people_yes), met, approved, met and approved
    )


def laxer_votes(profile: RuleProfile, law: RuleProfile) -> Iterator[tuple[VoteKind, dt.date]]:
    """Each (matter, day) on which a profile lets pass a vote the law would not.

    Passing grows with the shares taking part and approving, so a rule asks
    no less than another when it refuses the other's largest failing
    tallies: just short of its participation, and just short of its
    approval at the least and at the full participation.
    """
    days = {dt.date(2000, 1, 1), dt.date(2100, 1, 1)}
    for rule in [*profile.votes, *law.votes]:
        for edge in (rule.since, rule.until):
            if edge is not None:
                days |= {edge - dt.timedelta(days=1), edge, edge + dt.timedelta(days=1)}
    for kind in VoteKind:
        for day in sorted(days):
            needed = vote_rule(law, kind, day)
            if needed is None:
                continue
            mine = vote_rule(profile, kind, day)
            if mine is None or any(vote_passes(mine, *t) for t in _just_short(needed)):
                yield kind, day
                break


def _just_short(rule: VoteRule) -> list[tuple[tuple[Decimal, int], ...]]:
    """The largest tallies a rule refuses, on an electorate of 30,000 owners and ㎡."""
    whole = 30000

    def least(base: int) -> int:  # the fewest approving that pass, out of ``base``
        need = Fraction(rule.approval) * base
        return int(need) + 1 if rule.more_than or need != int(need) else int(need)

    taking = -(-Fraction(rule.participation) * whole // 1)  # the fewest taking part
    taking = int(taking)
    cases = [(whole, least(whole if rule.basis is VoteBasis.ALL_OWNERS else whole) - 1)]
    if rule.basis is VoteBasis.PARTICIPATING:
        cases.append((taking, least(taking) - 1))
        if taking > 0:
            cases.append((taking - 1, taking - 1))
    return [
        ((Decimal(whole), whole), (Decimal(part), part), (Decimal(yes), yes))
        for part, yes in cases
        if yes >= 0
    ]


def relied_upon(data: EstateData) -> Iterator[tuple[str, tuple[str | int, ...], str]]:
    """Each (vote id, data path, what) where something the estate did rests on an owners' vote."""
    for pid, st in data.accounts.maintenance_fund.items():
        for i, e in enumerate(st.expenditure):
            if e.vote is not None and e.emergency is None:
                what = _("专项维修资金 {pid} 的支出 {entry}", pid=pid, entry=e.id)
                yield e.vote, ("accounts", "maintenance_fund", pid, "expenditure", i, "vote"), what
    for i, fee in enumerate(data.fees.standards if data.fees else []):
        for j, period in enumerate(fee.periods):
            if period.basis.vote is not None:
                what = _("收费标准 {fee} 自 {start} 起的标准", fee=fee.id, start=period.start)
                place = ("fees", "standards", i, "periods", j, "basis", "vote")
                yield period.basis.vote, place, what
    for i, c in enumerate(data.contracts.contracts if data.contracts else []):
        if c.vote is not None:
            yield c.vote, ("contracts", "contracts", i, "vote"), _("合同 {id}", id=c.id)
        for j, m in enumerate(c.amendments):
            if m.vote is not None:
                what = _("合同 {id} 的补充协议 {amendment}", id=c.id, amendment=m.id)
                yield m.vote, ("contracts", "contracts", i, "amendments", j, "vote"), what
    for doc_id, doc in data.documents.items():
        if doc.vote is not None:
            yield doc.vote, ("documents", doc_id, "vote"), _("制度文件“{title}”", title=doc.title)
    for i, election in enumerate(data.governance.elections if data.governance else []):
        if election.vote is not None:
            at: tuple[str | int, ...] = ("governance", "elections", i, "vote")
            yield election.vote, at, _("选举 {id}", id=election.id)


def _votes(profile: RuleProfile, latest: Published) -> Iterator[Diagnostic]:
    """P005: something rests on a vote that did not reach the threshold in force on its date.

    A vote may fail; that is a fact to publish. Spending, a fee or a contract
    that cites a failed vote as its approval is the finding.
    """
    votes = {v.id: v for v in (latest.data.votes.votes if latest.data.votes else [])}
    judged: dict[str, tuple[VoteRule | None, bool]] = {}  # a vote many things rest on: counted once
    for vote_id, place, what in relied_upon(latest.data):
        vote = votes.get(vote_id)
        if vote is None:
            continue
        if vote_id not in judged:
            rule = vote_rule(profile, vote.kind, vote.date)
            tallies = [
                (t.area, t.headcount) for t in (vote.total, vote.participating, vote.approving)
            ]
            judged[vote_id] = (rule, rule is not None and vote_passes(rule, *tallies))
        rule, passed = judged[vote_id]
        if rule is None:
            continue
        if not passed:
            message = _(
                "{what}以业主表决 {vote}（{date}，{kind}）为依据，但这次表决没有达到表决日适用的比例，没有通过（{article}）",
                what=what, vote=vote.id, date=vote.date, kind=vote.kind, article=rule.article,
            )  # fmt: skip
            yield Diagnostic("P005", latest.locate(place), message)


def _top_up(profile: RuleProfile, latest: Published) -> Iterator[Diagnostic]:
    rule, fund = profile.fund_top_up, latest.data.estate.maintenance_fund
    statements = latest.data.accounts.maintenance_fund
    if rule is None or fund is None or not statements or fund.initial_deposit <= 0:
        return
    pid, last = max(statements.items(), key=lambda kv: kv[1].period.start)
    trigger = fund.initial_deposit * rule.percent / 100
    if last.closing < trigger:
        message = _(
            "专项维修资金余额 {closing}（{pid}）低于首期归集额的 {percent}%（{trigger}），应当续筹（{article}）",
            closing=last.closing, pid=pid, percent=rule.percent,
            trigger=trigger.quantize(Decimal("0.01")), article=rule.article,
        )  # fmt: skip
        yield Diagnostic(
            "P006", latest.locate(("accounts", "maintenance_fund", pid, "closing")), message
        )
