"""Rules over one estate's model -> diagnostics; every rule runs, none stops the others."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from .content import EstateSource
from .errors import Diagnostic
from .model import EstateData
from .model.accounts import AccountingBasis, FeeStatement, FundStatement, RevenueStatement
from .model.estate import ManagementMode
from .model.fees import PricePeriod, PricingRegime

Statement = FundStatement | RevenueStatement | FeeStatement
Rule = Callable[[EstateData, EstateSource], Iterable[Diagnostic]]
_ACCOUNTS = ("accounts",)


def validate(data: EstateData, source: EstateSource, complete: bool = True) -> list[Diagnostic]:
    """Run every rule over an estate and return what they found.

    When some file failed its schema, ``data`` lacks it: rules that look
    across files are skipped then, so a missing file raises no false alarms.
    """
    rules = RULES if complete else [r for r in RULES if r not in CROSS_FILE]
    return [d for rule in rules for d in rule(data, source)]


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def estate_id_matches_folder(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    if data.estate.id != src.folder.name:
        yield Diagnostic(
            "I004",
            src.at(("estate",), ("id",)),
            f"id: '{data.estate.id}' differs from the folder name '{src.folder.name}'",
        )


def _duplicates(
    items: Iterable[tuple[str, tuple[str, ...], tuple[str | int, ...]]],
    src: EstateSource,
    what: str,
) -> Iterator[Diagnostic]:
    """Report each (id, part, path) whose id was seen before."""
    seen: dict[str, str] = {}
    for item_id, part, path in items:
        if item_id in seen:
            yield Diagnostic(
                "I002",
                src.at(part, path),
                f"{what} id '{item_id}' is used twice (first at {seen[item_id]})",
            )
        else:
            seen[item_id] = str(src.at(part, path))


def unique_ids(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    est = ("estate",)
    yield from _duplicates(
        ((b.id, est, ("buildings", i, "id")) for i, b in enumerate(data.estate.buildings)),
        src,
        "building",
    )
    if data.fees:
        f = data.fees
        lists: dict[str, Sequence[Any]] = {
            "standards": f.standards,
            "pass_through": f.pass_through,
            "extra_services": f.extra_services,
        }
        items = [
            (x.id, ("fees",), (name, i, "id"))
            for name, seq in lists.items()
            for i, x in enumerate(seq)
        ]
        yield from _duplicates(items, src, "fee")
    if data.contracts:
        cs = data.contracts.contracts
        yield from _duplicates(
            ((c.id, ("contracts",), ("contracts", i, "id")) for i, c in enumerate(cs)),
            src,
            "contract",
        )
        for i, c in enumerate(cs):
            amendments = (
                (a.id, ("contracts",), ("contracts", i, "amendments", j, "id"))
                for j, a in enumerate(c.amendments)
            )
            yield from _duplicates(amendments, src, "amendment")
    if data.services:
        items2: list[tuple[str, tuple[str, ...], tuple[str | int, ...]]] = [
            (s.id, ("services",), (k, "standards", i, "id"))
            for k in ("cleaning", "security", "greening", "repairs")
            for i, s in enumerate(getattr(data.services, k).standards)
        ]
        yield from _duplicates(items2, src, "service standard")
    if data.votes:
        yield from _duplicates(
            ((v.id, ("votes",), ("votes", i, "id")) for i, v in enumerate(data.votes.votes)),
            src,
            "vote",
        )
    for kind, statements in _account_kinds(data):
        entries = [
            (e.id, (*_ACCOUNTS, kind, pid), (side, i, "id"))
            for pid, st in statements.items()
            for side in ("income", "expenditure", "other_income")
            for i, e in enumerate(getattr(st, side, []) or [])
            if hasattr(e, "id")
        ]
        yield from _duplicates(entries, src, "entry")
        for pid, st in statements.items():
            if isinstance(st, FundStatement):
                yield from _duplicates(
                    (
                        (b.building, (*_ACCOUNTS, kind, pid), ("buildings", i, "building"))
                        for i, b in enumerate(st.buildings)
                    ),
                    src,
                    "building account",
                )
            if isinstance(st, FeeStatement):
                yield from _duplicates(
                    (
                        (c.id, (*_ACCOUNTS, kind, pid), ("collection", i, "id"))
                        for i, c in enumerate(st.collection)
                    ),
                    src,
                    "collection",
                )


def _account_kinds(data: EstateData) -> list[tuple[str, Mapping[str, Statement]]]:
    a = data.accounts
    return [
        ("maintenance_fund", a.maintenance_fund),
        ("public_revenue", a.public_revenue),
        ("property_fees", a.property_fees),
    ]


def references(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    votes = {v.id for v in data.votes.votes} if data.votes else set()
    buildings = {b.id for b in data.estate.buildings}
    contracts = {c.id for c in data.contracts.contracts} if data.contracts else set()

    def ref(
        value: str | None,
        known: set[str],
        what: str,
        part: tuple[str, ...],
        path: tuple[str | int, ...],
    ) -> Iterator[Diagnostic]:
        if value is not None and value not in known:
            yield Diagnostic("I003", src.at(part, path), f"{what} '{value}' does not exist")

    if data.fees:
        for i, fee in enumerate(data.fees.standards):
            for j, p in enumerate(fee.periods):
                yield from ref(
                    p.basis.vote,
                    votes,
                    "vote",
                    ("fees",),
                    ("standards", i, "periods", j, "basis", "vote"),
                )
    if data.contracts:
        for i, c in enumerate(data.contracts.contracts):
            yield from ref(c.vote, votes, "vote", ("contracts",), ("contracts", i, "vote"))
            for j, a in enumerate(c.amendments):
                yield from ref(
                    a.vote, votes, "vote", ("contracts",), ("contracts", i, "amendments", j, "vote")
                )
    if data.services:
        for k in ("cleaning", "security", "greening", "repairs"):
            yield from ref(
                getattr(data.services, k).contract,
                contracts,
                "contract",
                ("services",),
                (k, "contract"),
            )
    for pid, st in data.accounts.maintenance_fund.items():
        part = (*_ACCOUNTS, "maintenance_fund", pid)
        for i, e in enumerate(st.expenditure):
            yield from ref(e.vote, votes, "vote", part, ("expenditure", i, "vote"))
            for j, b in enumerate(e.buildings):
                yield from ref(b, buildings, "building", part, ("expenditure", i, "buildings", j))
        for i, acct in enumerate(st.buildings):
            yield from ref(acct.building, buildings, "building", part, ("buildings", i, "building"))


def attachments(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    if not data.contracts:
        return
    root = src.folder.resolve()
    for i, c in enumerate(data.contracts.contracts):
        if c.attachment is None:
            continue
        target = (root / c.attachment).resolve()
        where = src.at(("contracts",), ("contracts", i, "attachment"))
        if Path(c.attachment).is_absolute() or not target.is_relative_to(root):
            yield Diagnostic("I005", where, f"attachment '{c.attachment}' leaves the estate folder")
        elif not target.is_file():
            yield Diagnostic("I005", where, f"attachment '{c.attachment}' does not exist")


def fee_periods(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    if not data.fees:
        return
    for i, fee in enumerate(data.fees.standards):
        for j, p in enumerate(fee.periods):
            path = ("standards", i, "periods", j)
            for k, earlier in enumerate(fee.periods[:j]):
                if p.overlaps(earlier):
                    yield Diagnostic(
                        "F001",
                        src.at(("fees",), (*path, "from")),
                        f"fee '{fee.id}': period from {p.start} overlaps periods[{k}] ({earlier.start} to {earlier.end or 'open'})",
                    )
            yield from _pricing(p, fee.id, src, ("fees",), path)


def _pricing(
    p: PricePeriod,
    fee_id: str,
    src: EstateSource,
    part: tuple[str, ...],
    path: tuple[str | int, ...],
) -> Iterator[Diagnostic]:
    if p.regime is PricingRegime.GUIDED and p.guide is None:
        yield Diagnostic(
            "F003",
            src.at(part, (*path, "regime")),
            f"fee '{fee_id}': 政府指导价 needs 'guide' with the base rate and the allowed range",
        )
    elif p.regime is PricingRegime.MARKET and p.guide is not None:
        yield Diagnostic(
            "F003",
            src.at(part, (*path, "guide")),
            f"fee '{fee_id}': 'guide' applies only to 政府指导价, this period is 市场调节价",
        )
    elif p.guide is not None and not (p.guide.lower <= p.amount <= p.guide.upper):
        yield Diagnostic(
            "F002",
            src.at(part, (*path, "amount")),
            f"fee '{fee_id}': {p.amount} is outside the allowed range {p.guide.lower}–{p.guide.upper}",
        )


def votes(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    if not data.votes:
        return
    for i, v in enumerate(data.votes.votes):
        for measure in ("area", "headcount"):
            total, part, yes = (
                getattr(getattr(v, t), measure) for t in ("total", "participating", "approving")
            )
            if yes > part:
                yield Diagnostic(
                    "V001",
                    src.at(("votes",), ("votes", i, "approving", measure)),
                    f"vote '{v.id}': approving {measure} {yes} is more than participating {part}",
                )
            if part > total:
                yield Diagnostic(
                    "V001",
                    src.at(("votes",), ("votes", i, "participating", measure)),
                    f"vote '{v.id}': participating {measure} {part} is more than the total {total}",
                )


def statements_balance(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    for kind, statements in _account_kinds(data):
        for pid, st in statements.items():
            part = (*_ACCOUNTS, kind, pid)
            if isinstance(st, FundStatement | RevenueStatement):
                income, spent = (
                    sum((e.amount for e in st.income), Decimal(0)),
                    sum((e.amount for e in st.expenditure), Decimal(0)),
                )
                expected = st.opening + income - spent
                if expected != st.closing:
                    yield Diagnostic(
                        "A001",
                        src.at(part, ("closing",)),
                        f"{pid}: opening {_money(st.opening)} + income {_money(income)} - expenditure {_money(spent)} = {_money(expected)}, but closing is {_money(st.closing)}",
                    )
            if isinstance(st, FundStatement):
                yield from _buildings(st, pid, src, part, income, spent)
            if isinstance(st, FeeStatement):
                yield from _fee_statement(st, pid, src, part)


def _buildings(
    st: FundStatement,
    pid: str,
    src: EstateSource,
    part: tuple[str, ...],
    income: Decimal,
    spent: Decimal,
) -> Iterator[Diagnostic]:
    if not st.buildings:
        return
    for i, b in enumerate(st.buildings):
        expected = b.opening + b.income - b.expenditure
        if expected != b.closing:
            yield Diagnostic(
                "A001",
                src.at(part, ("buildings", i, "closing")),
                f"{pid}: building '{b.building}': opening {_money(b.opening)} + income {_money(b.income)} - expenditure {_money(b.expenditure)} = {_money(expected)}, but closing is {_money(b.closing)}",
            )
    estate = {"opening": st.opening, "income": income, "expenditure": spent, "closing": st.closing}
    for field, total in estate.items():
        added = sum((getattr(b, field) for b in st.buildings), Decimal(0))
        if added != total:
            yield Diagnostic(
                "A002",
                src.at(part, ("buildings",)),
                f"{pid}: building accounts' {field} add up to {_money(added)}, the estate's is {_money(total)}",
            )


def _fee_statement(
    st: FeeStatement, pid: str, src: EstateSource, part: tuple[str, ...]
) -> Iterator[Diagnostic]:
    for i, c in enumerate(st.collection):
        if c.received > c.receivable:
            yield Diagnostic(
                "A005",
                src.at(part, ("collection", i, "received")),
                f"{pid}: '{c.label}' received {_money(c.received)} is more than receivable {_money(c.receivable)}",
            )
    billed = (
        c.receivable if st.basis is AccountingBasis.ACCRUAL else c.received for c in st.collection
    )
    income = (
        sum(billed, Decimal(0))
        + st.arrears_recovered
        + sum((e.amount for e in st.other_income), Decimal(0))
    )
    costs = sum((c.amount for c in st.expenditure), Decimal(0))
    commission = st.commission.amount if st.commission else Decimal(0)
    expected = income - costs - commission
    if expected != st.surplus:
        yield Diagnostic(
            "A004",
            src.at(part, ("surplus",)),
            f"{pid}: income {_money(income)} - expenditure {_money(costs)} - commission {_money(commission)} = {_money(expected)}, but surplus is {_money(st.surplus)}",
        )
    if st.opening is not None and st.closing is not None and st.opening + st.surplus != st.closing:
        yield Diagnostic(
            "A001",
            src.at(part, ("closing",)),
            f"{pid}: opening {_money(st.opening)} + surplus {_money(st.surplus)} = {_money(st.opening + st.surplus)}, but closing is {_money(st.closing)}",
        )


def regime(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    """Each statement states a commission exactly under 酬金制; the newest matches the estate.

    Older statements may differ from the estate's mode: a mode can change.
    """
    statements = newest_first_ids(data.accounts.property_fees)
    for pid in statements:
        st = data.accounts.property_fees[pid]
        part = (*_ACCOUNTS, "property_fees", pid)
        if st.regime is ManagementMode.COMMISSION and st.commission is None:
            message = f"{pid}: under 酬金制 the statement states the commission ('commission')"
            yield Diagnostic("M001", src.at(part, ("regime",)), message)
        elif st.regime is ManagementMode.LUMP_SUM and st.commission is not None:
            yield Diagnostic(
                "M001", src.at(part, ("commission",)), f"{pid}: under 包干制 there is no commission"
            )
    mode = data.estate.management_mode
    if statements and data.accounts.property_fees[statements[0]].regime is not mode:
        pid = statements[0]
        message = f"{pid}: the newest statement is {data.accounts.property_fees[pid].regime}, the estate is under {mode}"
        yield Diagnostic("M001", src.at((*_ACCOUNTS, "property_fees", pid), ("regime",)), message)


def newest_first_ids(statements: Mapping[str, Statement]) -> list[str]:
    return sorted(statements, key=lambda pid: statements[pid].period.start, reverse=True)


def initial_deposits(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    fund = data.estate.maintenance_fund
    deposits = [
        b.fund_initial_deposit for b in data.estate.buildings if b.fund_initial_deposit is not None
    ]
    if fund is None or not deposits:
        return
    added = sum(deposits, Decimal(0))
    if added != fund.initial_deposit:
        message = f"buildings' fund_initial_deposit add up to {_money(added)}, maintenance_fund.initial_deposit is {_money(fund.initial_deposit)}"
        yield Diagnostic(
            "A006", src.at(("estate",), ("maintenance_fund", "initial_deposit")), message
        )


def periods_chain(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    for kind, statements in _account_kinds(data):
        ordered = sorted(statements.items(), key=lambda kv: kv[1].period.start)
        for (prev_id, prev), (pid, st) in zip(ordered, ordered[1:], strict=False):
            part = (*_ACCOUNTS, kind, pid)
            if st.period.start <= prev.period.end:
                yield Diagnostic(
                    "D002",
                    src.at(part, ("period", "from")),
                    f"{pid}: period from {st.period.start} overlaps {prev_id} (to {prev.period.end})",
                )
                continue
            if (st.period.start - prev.period.end).days > 1:
                yield Diagnostic(
                    "D003",
                    src.at(part, ("period", "from")),
                    f"{pid}: no statement covers {prev.period.end} to {st.period.start} (after {prev_id})",
                )
            yield from _carried(prev, st, prev_id, pid, src, part)


def _carried(
    prev: object, st: object, prev_id: str, pid: str, src: EstateSource, part: tuple[str, ...]
) -> Iterator[Diagnostic]:
    closing, opening = getattr(prev, "closing", None), getattr(st, "opening", None)
    if closing is not None and opening is not None and closing != opening:
        yield Diagnostic(
            "A003",
            src.at(part, ("opening",)),
            f"{pid}: opening {_money(opening)} differs from {prev_id}'s closing {_money(closing)}",
        )
    if isinstance(prev, FundStatement) and isinstance(st, FundStatement):
        before = {b.building: b.closing for b in prev.buildings}
        for i, b in enumerate(st.buildings):
            if b.building in before and before[b.building] != b.opening:
                yield Diagnostic(
                    "A003",
                    src.at(part, ("buildings", i, "opening")),
                    f"{pid}: building '{b.building}' opening {_money(b.opening)} differs from {prev_id}'s closing {_money(before[b.building])}",
                )


def entry_dates(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    for kind, statements in _account_kinds(data):
        for pid, st in statements.items():
            for side in ("income", "expenditure", "other_income"):
                for i, e in enumerate(getattr(st, side, []) or []):
                    if hasattr(e, "date") and not st.period.start <= e.date <= st.period.end:
                        yield Diagnostic(
                            "D004",
                            src.at((*_ACCOUNTS, kind, pid), (side, i, "date")),
                            f"{pid}: entry '{e.id}' is dated {e.date}, outside {st.period.start} to {st.period.end}",
                        )


def fund_votes(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    for pid, st in data.accounts.maintenance_fund.items():
        for i, e in enumerate(st.expenditure):
            if e.vote is None and e.emergency is None:
                yield Diagnostic(
                    "V002",
                    src.at((*_ACCOUNTS, "maintenance_fund", pid), ("expenditure", i, "id")),
                    f"{pid}: fund expenditure '{e.id}' names neither an owners' vote ('vote') nor an emergency ('emergency')",
                )


def notice_bodies(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    for notice_id, notice in data.notices.items():
        if not notice.body.strip():
            yield Diagnostic(
                "N002",
                src.at(("notices", notice_id)),
                f"notice '{notice_id}' has no text after its front matter",
            )


RULES: list[Rule] = [
    estate_id_matches_folder,
    unique_ids,
    references,
    attachments,
    fee_periods,
    votes,
    statements_balance,
    regime,
    initial_deposits,
    periods_chain,
    entry_dates,
    fund_votes,
    notice_bodies,
]
CROSS_FILE: set[Rule] = {references, periods_chain}
