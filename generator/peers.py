"""Across estates: each estate's comparable figures, its peers, and the outliers a street office visits.

An estate's figures are computed while it renders (build.render_estate) or
is checked (checking._check_one), from the data it already discloses; they
are kept in its summary or its cached findings. Peers and flags are made
at the end, from every estate's figures alone: one estate's edit reads
that estate only.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from .config import Comparison
from .model import EstateData
from .model.accounts import ComplaintStatement, FundStatement, RevenueStatement
from .profiles import STATEMENTS, Frequency, Requirement, RuleProfile
from .views import P_, Words, fee_totals

CENT = Decimal("0.01")
Statement = TypeVar("Statement", FundStatement, RevenueStatement, ComplaintStatement)
TENTH = Decimal("0.1")
YEAR = 365


@dataclass(frozen=True)
class Figure:
    """One comparable figure: its words, its unit, and whether outliers are flagged."""

    key: str
    label: str  # P_: the page's words
    unit: str  # P_
    places: Decimal = CENT
    fenced: bool = True  # quartile fences flag it


# The figures table: each figure's words, unit and places.
FIGURES = {
    f.key: f
    for f in [
        Figure("fee_residential", P_("住宅物业费"), P_("元/㎡·月")),
        Figure("fee_shop", P_("商铺物业费"), P_("元/㎡·月")),
        Figure("fee_office", P_("办公物业费"), P_("元/㎡·月")),
        Figure("revenue_per_space", P_("每个车位的公共收益"), P_("元/个·年"), Decimal(1)),
        Figure("revenue_per_m2", P_("每平方米的公共收益"), P_("元/㎡·年")),
        Figure("revenue_distributed", P_("公共收益分配或转入维修资金的比例"), "%", TENTH),
        Figure("fund_per_m2", P_("每平方米的维修资金余额"), P_("元/㎡")),
        Figure("fund_share", P_("维修资金余额占首期归集额"), "%", TENTH),
        Figure("fund_spending_m2", P_("每平方米的维修资金支出"), P_("元/㎡·年")),
        Figure("collection_rate", P_("物业费收缴率"), "%", TENTH),
        Figure("days_late", P_("报表比期限晚（负数为提前）"), P_("天"), TENTH),
        Figure("satisfaction", P_("业主满意度（百分制）"), P_("分"), TENTH),
        Figure("complaints_per_100", P_("每百户一年的投诉"), P_("件"), TENTH),
    ]
}


@dataclass(frozen=True)
class Figures:
    """One estate's comparable figures, and what places it among its peers."""

    estate_id: str
    name: str
    city: str
    district: str
    street: str
    era: str  # the decade it was built, "" when not known
    kind: str  # its buildings' main kind (高层, 多层 …), "" when not known
    values: dict[str, Decimal] = field(default_factory=dict)
    top_up: Decimal | None = None  # the rule profile's top-up line, percent of the first deposit
    revenue_months: int = 0  # months of public-revenue statements published
    revenue_distributed: Decimal = Decimal(0)  # distributed or moved to the fund, all time
    revenue_income: Decimal = Decimal(0)  # all time

    @property
    def street_key(self) -> str:
        return f"{self.city}{self.district}{self.street}"

    def as_json(self) -> dict[str, object]:
        plain = {k: str(v) if isinstance(v, Decimal) else v for k, v in self.__dict__.items()}
        plain["values"] = {k: str(v) for k, v in self.values.items()}
        return plain

    @classmethod
    def from_json(cls, kept: dict[str, object]) -> Figures:
        values = kept["values"]
        assert isinstance(values, dict)
        money = ("revenue_distributed", "revenue_income")
        top_up = kept["top_up"]
        return cls(
            **{k: v for k, v in kept.items() if k not in ("values", "top_up", *money)},  # type: ignore[arg-type]
            values={k: Decimal(v) for k, v in values.items()},
            top_up=Decimal(str(top_up)) if top_up is not None else None,
            **{k: Decimal(str(kept[k])) for k in money},  # type: ignore[arg-type]
        )


# -- one estate's figures --------------------------------------------------------------------

_SHOP = ("商铺", "商业", "门面", "沿街")
_OFFICE = ("办公", "写字楼")
_SPACES = re.compile(r"(\d+)\s*个")
_DISTRIBUTED = ("转入维修资金", "维修资金", "抵扣", "抵减", "分配", "分红", "返还")


def property_class(applies_to: str) -> str:
    """The figure a 物业服务费 counts in: 商铺, 办公, else 住宅."""
    if any(word in applies_to for word in _SHOP):
        return "fee_shop"
    if any(word in applies_to for word in _OFFICE):
        return "fee_office"
    return "fee_residential"


def fee_figures(data: EstateData, day: dt.date) -> dict[str, Decimal]:
    """Property fee per ㎡·月 in force on ``day``, by property class; the median of its grades."""
    rates: dict[str, list[Decimal]] = defaultdict(list)
    for fee in data.fees.standards if data.fees else []:
        if (
            "物业" not in fee.item
            or "费" not in fee.item
            or "㎡" not in fee.unit
            or "月" not in fee.unit
        ):
            continue
        for p in fee.periods:
            if p.start <= day and (p.end is None or day <= p.end):
                rates[property_class(fee.applies_to)].append(p.amount)
    return {key: _median(sorted(found)).quantize(CENT) for key, found in rates.items()}


def parking_spaces(data: EstateData) -> int:
    """Parking spaces as the price board counts them: "（86 个）" in a parking fee's object."""
    counts = [
        int(m.group(1))
        for fee in (data.fees.standards if data.fees else [])
        if "车" in fee.item or "车位" in fee.applies_to
        for m in [_SPACES.search(fee.applies_to)]
        if m is not None
    ]
    return sum(counts)


def _last_year(statements: Iterable[Statement]) -> tuple[list[Statement], int]:
    """The statements of the last twelve months before the newest one's end, and the days they cover."""
    ordered = sorted(statements, key=lambda s: s.period.start)
    if not ordered:
        return [], 0
    end = ordered[-1].period.end
    start = end - dt.timedelta(days=YEAR - 1)
    kept = [s for s in ordered if s.period.start >= start]
    days = sum((s.period.end - s.period.start).days + 1 for s in kept)
    return kept, days


def _per_year(amount: Decimal, days: int) -> Decimal:
    return amount * YEAR / days if days else Decimal(0)


def distributed(statement: RevenueStatement) -> Decimal:
    """What a revenue statement handed back: into the fund, off the fees, or out to owners."""
    return sum(
        (
            e.amount
            for e in statement.expenditure
            if e.transfer or any(w in e.category for w in _DISTRIBUTED)
        ),
        Decimal(0),
    )


def revenue_figures(data: EstateData) -> dict[str, Decimal]:
    """Public revenue a year per ㎡ and per parking space, and the share handed back."""
    kept, days = _last_year(data.accounts.public_revenue.values())
    if not kept:
        return {}
    income = sum((e.amount for s in kept for e in s.income), Decimal(0))
    out = {"revenue_per_m2": _per_year(income, days) / data.estate.gross_floor_area}
    spaces = parking_spaces(data)
    if spaces:
        out["revenue_per_space"] = _per_year(income, days) / spaces
    if income:
        out["revenue_distributed"] = sum((distributed(s) for s in kept), Decimal(0)) * 100 / income
    return out


def fund_figures(data: EstateData) -> dict[str, Decimal]:
    """The fund's balance per ㎡ and against its first deposit; its spending a year per ㎡."""
    statements = data.accounts.maintenance_fund
    if not statements:
        return {}
    area = data.estate.gross_floor_area
    latest = max(statements.values(), key=lambda s: s.period.start)
    out = {"fund_per_m2": latest.closing / area}
    fund = data.estate.maintenance_fund
    if fund is not None and fund.initial_deposit > 0:
        out["fund_share"] = latest.closing * 100 / fund.initial_deposit
    kept, days = _last_year(statements.values())
    spent = sum((e.amount for s in kept for e in s.expenditure), Decimal(0))
    out["fund_spending_m2"] = _per_year(spent, days) / area
    return out


def collection_figures(data: EstateData) -> dict[str, Decimal]:
    """The newest property-fee statement's collection rate."""
    statements = data.accounts.property_fees
    if not statements:
        return {}
    latest = max(statements.values(), key=lambda s: s.period.start)
    rate = fee_totals(latest)["rate"]
    return {"collection_rate": rate} if fee_totals(latest)["receivable"] else {}


def service_figures(data: EstateData) -> dict[str, Decimal]:
    """The newest survey's score out of 100, and complaints received a year per 100 households."""
    out = {}
    surveys = data.evaluations.surveys if data.evaluations else []
    if surveys:
        newest = max(surveys, key=lambda v: v.period.end)
        out["satisfaction"] = newest.score * 100 / newest.out_of
    kept, days = _last_year(data.accounts.complaint_handling.values())
    if days and data.estate.households:
        received = Decimal(sum(s.received for s in kept))
        out["complaints_per_100"] = _per_year(received, days) * 100 / data.estate.households
    return out


def _deadline_period_end(frequency: Frequency, day: dt.date) -> dt.date:
    """The end of the rule's period (quarter, half year, year) that a statement ending ``day`` falls in."""
    months = {Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6, Frequency.YEARLY: 12}[frequency]
    month = -(-day.month // months) * months  # the period's last month
    following = dt.date(day.year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def days_late(
    published: list[tuple[dt.date, EstateData]], profile: RuleProfile
) -> dict[str, Decimal]:
    """Days after its deadline that each periodic statement was first released (early: negative), on average.

    A statement's deadline is its rule's: the end of the rule's period it falls
    in, plus the days the rule allows. The statements of the first release are
    the estate's past when it joined and are not counted.
    """
    late = [(day - due).days for day, due in _deadlines(published, profile)]
    return {"days_late": Decimal(sum(late)) / len(late)} if late else {}


def _deadlines(
    published: list[tuple[dt.date, EstateData]], profile: RuleProfile
) -> list[tuple[dt.date, dt.date]]:
    """Each periodic statement counted for lateness: the day it was first released, its deadline."""
    rules: dict[
        str, Requirement
    ] = {  # the statements under accounts/ (a survey or meeting is no statement of a period)
        r.section.value: r
        for r in profile.requirements
        if r.frequency is not Frequency.CONTINUOUS and r.section in STATEMENTS
    }
    if not published:
        return []
    first: dict[tuple[str, str], dt.date] = {}
    for day, data in published:
        for section in rules:
            for pid in getattr(data.accounts, section):
                first.setdefault((section, pid), day)
    latest, start = published[-1][1], published[0][0]
    found = []
    for (section, pid), day in first.items():
        statement = getattr(latest.accounts, section).get(pid)
        if day > start and statement is not None:
            rule = rules[section]
            due = _deadline_period_end(rule.frequency, statement.period.end)
            found.append((day, due + dt.timedelta(days=rule.due_days)))
    return found


def estate_kind(data: EstateData) -> str:
    """The kind most of its floor area is in (高层, 多层 …), "" when the buildings do not say."""
    area: Counter[str] = Counter()
    for b in data.estate.buildings:
        if b.kind:
            area[b.kind] += int(b.floor_area or 1)
    return area.most_common(1)[0][0] if area else ""


def estate_figures(
    estate_id: str,
    data: EstateData,
    published: list[tuple[dt.date, EstateData]],
    profile: RuleProfile,
    day: dt.date,
) -> Figures:
    """An estate's figures from ``data`` as of ``day``; ``published``: its releases, oldest first."""
    e = data.estate
    values: dict[str, Decimal] = {}
    for made in (
        fee_figures(data, day),
        revenue_figures(data),
        fund_figures(data),
        collection_figures(data),
        service_figures(data),
        days_late(published, profile),
    ):
        values.update(made)
    revenue = list(data.accounts.public_revenue.values())
    months = sum((s.period.end - s.period.start).days + 1 for s in revenue) * 12 // YEAR
    return Figures(
        estate_id, e.name, e.city, e.district, e.street,
        f"{e.built // 10 * 10}s" if e.built else "", estate_kind(data),
        {k: v.quantize(FIGURES[k].places) for k, v in values.items()},
        profile.fund_top_up.percent if profile.fund_top_up else None,
        months,
        sum((distributed(s) for s in revenue), Decimal(0)),
        sum((x.amount for s in revenue for x in s.income), Decimal(0)),
    )  # fmt: skip


# -- peers -----------------------------------------------------------------------------------


def _median(ordered: list[Decimal]) -> Decimal:
    n = len(ordered)
    middle = ordered[n // 2]
    return middle if n % 2 else (ordered[n // 2 - 1] + middle) / 2


def quartiles(ordered: list[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """Q1, median, Q3 of sorted values, by linear interpolation (Excel's QUARTILE.INC)."""

    def at(share: Decimal) -> Decimal:
        position = share * (len(ordered) - 1)
        low = int(position)
        high = min(low + 1, len(ordered) - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (position - low)

    return at(Decimal("0.25")), _median(ordered), at(Decimal("0.75"))


SCOPES = {"street": P_("同街道"), "city": P_("同城市")}


@dataclass(frozen=True)
class Standing:
    """Where one estate's figure stands among its peers in one scope."""

    figure: str
    value: Decimal
    scope: str  # street or city
    alike: bool  # the peers are of the same era and kind
    count: int  # estates compared, itself included; 0: too few peers
    rank: int  # 1 for the lowest
    median: Decimal
    low_fence: Decimal
    high_fence: Decimal
    values: tuple[Decimal, ...] = ()  # the peers' values, sorted, for the chart

    @property
    def outside(self) -> str | None:
        """'high' or 'low' past a quartile fence, else None."""
        if not self.count:
            return None
        if self.value > self.high_fence:
            return "high"
        return "low" if self.value < self.low_fence else None


Settings = Comparison  # site.yaml's compare: section


@dataclass(frozen=True)
class Group:
    """The values of one figure among some estates, sorted, with their quartiles."""

    values: tuple[Decimal, ...]
    q1: Decimal
    median: Decimal
    q3: Decimal


def _stats(values: list[Decimal]) -> Group:
    ordered = sorted(values)
    return Group(tuple(ordered), *quartiles(ordered)) if ordered else Group((), *(Decimal(0),) * 3)


def standing(
    figures: Figures, key: str, scope: str, group: Group, alike: bool, settings: Settings
) -> Standing:
    """The figure's rank, median and fences in a group of its peers (count 0: too few)."""
    value = figures.values[key]
    if len(group.values) <= settings.min_peers:  # never fewer than min_peers others
        return Standing(key, value, scope, False, 0, 0, value, value, value)
    spread = (group.q3 - group.q1) * settings.fence
    places = FIGURES[key].places
    return Standing(
        key, value, scope, alike, len(group.values), 1 + bisect.bisect_left(group.values, value),
        group.median.quantize(places), (group.q1 - spread).quantize(places),
        (group.q3 + spread).quantize(places), group.values,
    )  # fmt: skip


@dataclass
class Peers:
    """Every estate's figures grouped by street and city, to place any one of them."""

    by_id: dict[str, Figures]
    streets: dict[str, list[Figures]]
    cities: dict[str, list[Figures]]
    settings: Settings
    groups: dict[tuple[str, str, str, str, str], Group] = field(default_factory=dict)

    def standings(self, estate_id: str) -> list[tuple[Standing, Standing]]:
        """Each of an estate's figures among its street's and its city's estates."""
        f = self.by_id[estate_id]
        return [
            (self._place(f, key, "street", f.street_key), self._place(f, key, "city", f.city))
            for key in FIGURES
            if key in f.values
        ]

    def place(self, f: Figures, key: str) -> Standing:
        """A figure among its street's estates, else (too few there) its city's."""
        street = self._place(f, key, "street", f.street_key)
        return street if street.count else self._place(f, key, "city", f.city)

    def _place(self, f: Figures, key: str, scope: str, where: str) -> Standing:
        """Among the estates of the same era and kind when there are enough, else all of the scope's."""
        alike = self._group(scope, where, key, f.era, f.kind)
        if f.era and f.kind and len(alike.values) > self.settings.min_peers:
            return standing(f, key, scope, alike, True, self.settings)
        return standing(f, key, scope, self._group(scope, where, key, "", ""), False, self.settings)

    def _group(self, scope: str, where: str, key: str, era: str, kind: str) -> Group:
        """A group's values: (era, kind) ("", "") is every estate of the scope."""
        return self.groups.get((scope, where, key, era, kind), EMPTY)


EMPTY = Group((), Decimal(0), Decimal(0), Decimal(0))


def group(all_figures: Iterable[Figures], settings: Settings) -> Peers:
    """Group every estate's figures by street and by city, each figure's values sorted once."""
    by_id = {f.estate_id: f for f in sorted(all_figures, key=lambda f: f.estate_id)}
    streets: dict[str, list[Figures]] = defaultdict(list)
    cities: dict[str, list[Figures]] = defaultdict(list)
    values: dict[tuple[str, str, str, str, str], list[Decimal]] = defaultdict(list)
    for f in by_id.values():
        streets[f.street_key].append(f)
        cities[f.city].append(f)
        for scope, where in (("street", f.street_key), ("city", f.city)):
            for key, value in f.values.items():
                values[(scope, where, key, "", "")].append(value)
                values[(scope, where, key, f.era, f.kind)].append(value)
    groups = {named: _stats(found) for named, found in values.items()}
    return Peers(by_id, dict(streets), dict(cities), settings, groups)


# -- flags -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """An estate a street office should look at: which figure, how far, against what."""

    estate_id: str
    name: str
    street: str
    figure: str
    rule: str  # fence_high, fence_low, top_up, collection, late, never_distributed
    value: Decimal
    median: Decimal | None  # the peers' (None: too few peers)
    limit: Decimal  # the fence or threshold crossed
    scope: str  # street, city, or "" for a rule threshold
    count: int  # peers compared, the estate included

    def words(self) -> Words:
        """The flag in a sentence, for the street overview."""
        unit = FIGURES[self.figure].unit
        said: dict[str, Any] = {
            "figure": (FIGURES[self.figure].label, {}),
            "value": str(self.value),
            "unit": unit_words(unit),
            "limit": str(self.limit),
        }
        if self.rule in ("fence_high", "fence_low"):
            words = (
                P_(
                    "%(figure)s %(value)s%(unit)s，高于%(scope)s %(count)s 个小区的上限 %(limit)s（中位数 %(median)s）"
                )
                if self.rule == "fence_high"
                else P_(
                    "%(figure)s %(value)s%(unit)s，低于%(scope)s %(count)s 个小区的下限 %(limit)s（中位数 %(median)s）"
                )
            )
            return words, {
                **said,
                "scope": (SCOPES[self.scope], {}),
                "count": self.count,
                "median": str(self.median),
            }
        return RULES[self.rule], said

    def as_json(self) -> dict[str, object]:
        return {
            "estate": self.estate_id, "name": self.name, "street": self.street,
            "figure": self.figure, "rule": self.rule, "value": str(self.value),
            "median": None if self.median is None else str(self.median), "limit": str(self.limit),
            "scope": self.scope or None, "peers": self.count,
        }  # fmt: skip


RULES = {
    "top_up": P_("%(figure)s %(value)s%(unit)s，低于续筹线 %(limit)s%%"),
    "collection": P_("%(figure)s %(value)s%(unit)s，低于 %(limit)s%%"),
    "late": P_("%(figure)s %(value)s%(unit)s，超过 %(limit)s 天"),
    "never_distributed": P_("公共收益 %(value)s 元从未分配或转入维修资金，已公示 %(limit)s 个月"),
}


def flags(all_peers: Peers) -> list[Flag]:
    """Every estate's outliers past the quartile fences, and its figures past the rule thresholds."""
    out: list[Flag] = []
    for f in all_peers.by_id.values():
        for key in FIGURES:
            if key not in f.values or not FIGURES[key].fenced:
                continue
            placed = all_peers.place(f, key)
            side = placed.outside
            if side:
                limit = placed.high_fence if side == "high" else placed.low_fence
                out.append(
                    _flag(
                        f,
                        placed.figure,
                        f"fence_{side}",
                        placed.value,
                        placed.median,
                        limit,
                        placed.scope,
                        placed.count,
                    )
                )
        out += _rule_flags(f, all_peers)
    return sorted(out, key=lambda x: (x.street, x.estate_id, list(FIGURES).index(x.figure), x.rule))


def _flag(
    f: Figures,
    figure: str,
    rule: str,
    value: Decimal,
    median: Decimal | None,
    limit: Decimal,
    scope: str,
    count: int,
) -> Flag:
    return Flag(f.estate_id, f.name, f.street_key, figure, rule, value, median, limit, scope, count)


def _rule_flags(f: Figures, all_peers: Peers) -> list[Flag]:
    """The published thresholds: the fund's top-up line, collection, lateness, revenue kept."""
    s, v = all_peers.settings, f.values
    found: list[Flag] = []
    line = s.fund_share_below if s.fund_share_below is not None else f.top_up
    median = _street_median(f, all_peers)
    checks = [
        ("fund_share", "top_up", line, lambda x, y: x < y),
        ("collection_rate", "collection", s.collection_below, lambda x, y: x < y),
        ("days_late", "late", s.late_days_over, lambda x, y: x > y),
    ]
    for figure, rule, limit, crosses in checks:
        if figure in v and limit is not None and crosses(v[figure], limit):
            found.append(_flag(f, figure, rule, v[figure], median(figure), limit, "", 0))
    if (
        f.revenue_income > 0
        and not f.revenue_distributed
        and f.revenue_months >= s.distributed_months
    ):
        found.append(
            _flag(
                f,
                "revenue_distributed",
                "never_distributed",
                f.revenue_income.quantize(CENT),
                median("revenue_distributed"),
                Decimal(f.revenue_months),
                "",
                0,
            )
        )
    return found


def _street_median(f: Figures, all_peers: Peers):  # type: ignore[no-untyped-def]
    """The street's median of a figure (None with too few), for a rule flag's context."""

    def median(key: str) -> Decimal | None:
        found = all_peers.groups.get(("street", f.street_key, key, "", ""), EMPTY)
        enough = len(found.values) > all_peers.settings.min_peers
        return found.median.quantize(FIGURES[key].places) if enough else None

    return median


# -- in words --------------------------------------------------------------------------------


def figure_words(placed: Standing) -> Words:
    """住宅物业费 1.20 元/㎡·月."""
    figure = FIGURES[placed.figure]
    return P_("%(figure)s：%(value)s %(unit)s"), {
        "figure": (figure.label, {}),
        "value": str(placed.value),
        "unit": unit_words(figure.unit),
    }


def unit_words(unit: str) -> Words | str:
    """A figure's unit as a page says it: "%" is no message of its own."""
    return unit if unit == "%" else (unit, {})


def standing_words(placed: Standing, settings: Settings) -> Words:
    """同街道 14 个同类小区中从低到高第 9，中位数 1.05; or that there are too few to compare."""
    scope: Words = (SCOPES[placed.scope], {})
    if not placed.count:
        return P_("%(scope)s可比的小区不足 %(least)s 个，不作比较"), {
            "scope": scope,
            "least": settings.min_peers + 1,
        }
    words = (
        P_("%(scope)s %(count)s 个同类小区中从低到高第 %(rank)s，中位数 %(median)s")
        if placed.alike
        else P_("%(scope)s %(count)s 个小区中从低到高第 %(rank)s，中位数 %(median)s")
    )
    return words, {
        "scope": scope,
        "count": placed.count,
        "rank": placed.rank,
        "median": str(placed.median),
    }
