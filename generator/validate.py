"""Rules over one estate's model -> diagnostics; every rule runs, none stops the others."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from .content import EstateSource
from .errors import Diagnostic, Location
from .i18n import N_, _
from .model import EstateData
from .model.accounts import (
    AccountingBasis,
    ComplaintStatement,
    Entry,
    FeeStatement,
    FundExpenditure,
    FundStatement,
    RevenueStatement,
    Vote,
    VoteKind,
)
from .model.estate import CommitteeKind, ManagementMode, Person
from .model.evaluations import MeetingKind
from .model.fees import PricePeriod, PricingRegime
from .model.governance import PUBLIC_ROLES, DocumentKind, PartyKind
from .model.notices import NoticeCategory

MEASURES = {"area": N_("面积"), "headcount": N_("人数")}
TOTALS = {
    "opening": N_("期初"),
    "income": N_("收入"),
    "expenditure": N_("支出"),
    "closing": N_("期末"),
}
Statement = FundStatement | RevenueStatement | FeeStatement | ComplaintStatement
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
    # no thousands separators: a clerk copies what a message shows, and YAML refuses them
    return f"{value:.2f}"


def _off(expected: Decimal, written: Decimal) -> str:
    return _money(written - expected)


def _span(start: dt.date, end: dt.date | None) -> str:
    """A period as a message says it: with its last day, or open (no ``to`` written)."""
    if end is None:
        return _("{start} 起，没有写截止日期", start=start)
    return _("{start} 至 {end}", start=start, end=end)


def estate_id_matches_folder(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    if data.estate.id != src.folder.name:
        yield Diagnostic(
            "I004",
            src.at(("estate",), ("id",)),
            _(
                "id 写的是“{id}”，小区目录名是“{folder}”：两者要一致，请改 id 或把目录改名",
                id=data.estate.id,
                folder=src.folder.name,
            ),
        )


def _duplicates(
    items: Iterable[tuple[str, tuple[str, ...], tuple[str | int, ...]]],
    src: EstateSource,
    what: str,
) -> Iterator[Diagnostic]:
    """Report each (id, part, path) whose id was seen before."""
    seen: dict[str, tuple[tuple[str, ...], tuple[str | int, ...]]] = {}  # located when used twice
    for item_id, part, path in items:
        if item_id in seen:
            yield Diagnostic(
                "I002",
                src.at(part, path),
                _(
                    "{what}编号“{id}”用了两次（第一次在 {first}）：每个编号只能用一次，请给这一条换一个编号",
                    what=_(what),
                    id=item_id,
                    first=str(src.at(*seen[item_id])),
                ),
            )
        else:
            seen[item_id] = (part, path)


def unique_ids(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    est = ("estate",)
    yield from _duplicates(
        ((b.id, est, ("buildings", i, "id")) for i, b in enumerate(data.estate.buildings)),
        src,
        N_("楼幢"),
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
        yield from _duplicates(items, src, N_("收费"))
    if data.contracts:
        cs = data.contracts.contracts
        yield from _duplicates(
            ((c.id, ("contracts",), ("contracts", i, "id")) for i, c in enumerate(cs)),
            src,
            N_("合同"),
        )
        for i, c in enumerate(cs):
            amendments = (
                (a.id, ("contracts",), ("contracts", i, "amendments", j, "id"))
                for j, a in enumerate(c.amendments)
            )
            yield from _duplicates(amendments, src, N_("补充协议"))
    if data.services:
        items2: list[tuple[str, tuple[str, ...], tuple[str | int, ...]]] = [
            (s.id, ("services",), (k, "standards", i, "id"))
            for k in ("cleaning", "security", "greening", "repairs")
            for i, s in enumerate(getattr(data.services, k).standards)
        ]
        yield from _duplicates(items2, src, N_("服务标准"))
    if data.votes:
        yield from _duplicates(
            ((v.id, ("votes",), ("votes", i, "id")) for i, v in enumerate(data.votes.votes)),
            src,
            N_("表决"),
        )
    yield from _unique_service_ids(data, src)
    for kind, statements in _account_kinds(data):
        entries = [
            (e.id, (*_ACCOUNTS, kind, pid), (side, i, "id"))
            for pid, st in statements.items()
            for side in ("income", "expenditure", "other_income")
            for i, e in enumerate(getattr(st, side, []) or [])
            if hasattr(e, "id")
        ]
        yield from _duplicates(entries, src, N_("明细"))
        for pid, st in statements.items():
            if isinstance(st, FundStatement):
                yield from _duplicates(
                    (
                        (b.building, (*_ACCOUNTS, kind, pid), ("buildings", i, "building"))
                        for i, b in enumerate(st.buildings)
                    ),
                    src,
                    N_("分幢账户的楼幢"),
                )
            if isinstance(st, FeeStatement):
                yield from _duplicates(
                    (
                        (c.id, (*_ACCOUNTS, kind, pid), ("collection", i, "id"))
                        for i, c in enumerate(st.collection)
                    ),
                    src,
                    N_("应收实收"),
                )


def _account_kinds(data: EstateData) -> list[tuple[str, Mapping[str, Statement]]]:
    a = data.accounts
    return [
        ("maintenance_fund", a.maintenance_fund),
        ("public_revenue", a.public_revenue),
        ("property_fees", a.property_fees),
        ("complaint_handling", a.complaint_handling),
    ]


# an unknown id, by what it names: where the clerk writes it first
_VOTE = N_("表决“{value}”不存在：请检查编号的拼写，或先在 votes.yaml 里登记这次表决")
_CONTRACT = N_("合同“{value}”不存在：请检查编号的拼写，或先在 contracts.yaml 里写上这份合同")
_BUILDING = N_(
    "楼幢“{value}”不存在：请检查编号的拼写，或先在 estate.yaml 的 buildings 里写上这幢楼"
)


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
            yield Diagnostic("I003", src.at(part, path), _(what, value=value))

    if data.fees:
        for i, fee in enumerate(data.fees.standards):
            for j, p in enumerate(fee.periods):
                yield from ref(
                    p.basis.vote,
                    votes,
                    _VOTE,
                    ("fees",),
                    ("standards", i, "periods", j, "basis", "vote"),
                )
    if data.contracts:
        for i, c in enumerate(data.contracts.contracts):
            yield from ref(c.vote, votes, _VOTE, ("contracts",), ("contracts", i, "vote"))
            for j, a in enumerate(c.amendments):
                yield from ref(
                    a.vote, votes, _VOTE, ("contracts",), ("contracts", i, "amendments", j, "vote")
                )
    if data.services:
        for k in ("cleaning", "security", "greening", "repairs"):
            yield from ref(
                getattr(data.services, k).contract,
                contracts,
                _CONTRACT,
                ("services",),
                (k, "contract"),
            )
    for pid, st in data.accounts.maintenance_fund.items():
        part = (*_ACCOUNTS, "maintenance_fund", pid)
        for i, e in enumerate(st.expenditure):
            yield from ref(e.vote, votes, _VOTE, part, ("expenditure", i, "vote"))
            for j, b in enumerate(e.buildings):
                yield from ref(b, buildings, _BUILDING, part, ("expenditure", i, "buildings", j))
        for i, acct in enumerate(st.buildings):
            yield from ref(acct.building, buildings, _BUILDING, part, ("buildings", i, "building"))
    yield from _service_references(data, src)


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
            message = _(
                "附件路径“{path}”超出了小区目录：附件放在小区目录的 attachments/ 下，写成 attachments/文件名",
                path=c.attachment,
            )
            yield Diagnostic("I005", where, message)
        elif not target.is_file():
            message = _(
                "附件“{path}”不存在：请把文件放进小区目录的 attachments/ 下，并核对文件名和扩展名（如 .pdf）",
                path=c.attachment,
            )
            yield Diagnostic("I005", where, message)


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
                        _(
                            "收费“{fee}”：从 {start} 起的执行期间与 periods[{k}]（{span}）重叠：调价时请给旧期间写上 to，即新期间开始的前一天 {day}",
                            fee=fee.id,
                            start=p.start,
                            k=k,
                            span=_span(earlier.start, earlier.end),
                            day=p.start - dt.timedelta(days=1),
                        ),
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
            _(
                "收费“{fee}”：政府指导价要写 guide（基准价 base 和允许的范围 lower、upper）",
                fee=fee_id,
            ),
        )
    elif p.regime is PricingRegime.MARKET and p.guide is not None:
        yield Diagnostic(
            "F003",
            src.at(part, (*path, "guide")),
            _(
                "收费“{fee}”：guide 只用于政府指导价，这个期间是市场调节价：删掉 guide，或把 regime 改成 政府指导价",
                fee=fee_id,
            ),
        )
    elif p.guide is not None and not (p.guide.lower <= p.guide.base <= p.guide.upper):
        yield Diagnostic(
            "F003",
            src.at(part, (*path, "guide", "lower")),
            _(
                "收费“{fee}”：政府指导价的 lower、upper 是下浮、上浮后的价格，要 lower ≤ base ≤ upper，现在是 {lower}、{base}、{upper}：例如基准价 2.20 上下浮动 10%，写 lower: 1.98、upper: 2.42",
                fee=fee_id,
                lower=p.guide.lower,
                base=p.guide.base,
                upper=p.guide.upper,
            ),
        )
    elif p.guide is not None and not (p.guide.lower <= p.amount <= p.guide.upper):
        yield Diagnostic(
            "F002",
            src.at(part, (*path, "amount")),
            _(
                "收费“{fee}”：{amount} 超出了政府指导价允许的范围 {lower}–{upper}",
                fee=fee_id,
                amount=p.amount,
                lower=p.guide.lower,
                upper=p.guide.upper,
            ),
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
                    _(
                        "表决“{vote}”：同意的{measure} {yes} 多于参与的 {part}：请核对表决统计",
                        vote=v.id,
                        measure=_(MEASURES[measure]),
                        yes=yes,
                        part=part,
                    ),
                )
            if part > total:
                yield Diagnostic(
                    "V001",
                    src.at(("votes",), ("votes", i, "participating", measure)),
                    _(
                        "表决“{vote}”：参与的{measure} {part} 多于总数 {total}：请核对表决统计",
                        vote=v.id,
                        measure=_(MEASURES[measure]),
                        part=part,
                        total=total,
                    ),
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
                        _(
                            "{pid}：期初 {opening} + 收入 {income} − 支出 {spent} = {expected}，但期末写的是 {closing}（相差 {off}）：请核对各笔明细和期末余额",
                            pid=pid,
                            opening=_money(st.opening),
                            income=_money(income),
                            spent=_money(spent),
                            expected=_money(expected),
                            closing=_money(st.closing),
                            off=_off(expected, st.closing),
                        ),
                    )
            if isinstance(st, FundStatement):
                yield from _buildings(st, pid, src, part, income, spent)
            if isinstance(st, FeeStatement):
                yield from _fee_statement(st, pid, src, part)
            if isinstance(st, ComplaintStatement):
                yield from _complaint_statement(st, pid, src, part)


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
                _(
                    "{pid}：楼幢“{building}”期初 {opening} + 收入 {income} − 支出 {spent} = {expected}，但期末写的是 {closing}（相差 {off}）",
                    pid=pid,
                    building=b.building,
                    opening=_money(b.opening),
                    income=_money(b.income),
                    spent=_money(b.expenditure),
                    expected=_money(expected),
                    closing=_money(b.closing),
                    off=_off(expected, b.closing),
                ),
            )
    moved = sum((t.amount for t in st.transfers), Decimal(0))  # in both buildings' accounts
    estate = {
        "opening": st.opening,
        "income": income + moved,
        "expenditure": spent + moved,
        "closing": st.closing,
    }
    for field, total in estate.items():
        added = sum((getattr(b, field) for b in st.buildings), Decimal(0))
        if added != total:
            yield Diagnostic(
                "A002",
                src.at(part, ("buildings",)),
                _(
                    "{pid}：各楼幢账户的{field}合计 {added}，小区合计是 {total}（相差 {off}）：请逐幢核对各楼幢账户的{field}",
                    pid=pid,
                    field=_(TOTALS[field]),
                    added=_money(added),
                    total=_money(total),
                    off=_off(total, added),
                ),
            )


def _fee_statement(
    st: FeeStatement, pid: str, src: EstateSource, part: tuple[str, ...]
) -> Iterator[Diagnostic]:
    for i, c in enumerate(st.collection):
        if c.received > c.receivable:
            yield Diagnostic(
                "A005",
                src.at(part, ("collection", i, "received")),
                _(
                    "{pid}：“{label}”实收 {received} 大于应收 {receivable}：实收不能超过应收，预收的下期费用不计入本期",
                    pid=pid,
                    label=c.label,
                    received=_money(c.received),
                    receivable=_money(c.receivable),
                ),
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
            _(
                "{pid}：收入 {income} − 支出 {costs} − 酬金 {commission} = {expected}，但结余 surplus 写的是 {surplus}（相差 {off}）",
                pid=pid,
                income=_money(income),
                costs=_money(costs),
                commission=_money(commission),
                expected=_money(expected),
                surplus=_money(st.surplus),
                off=_off(expected, st.surplus),
            ),
        )
    if st.opening is not None and st.closing is not None and st.opening + st.surplus != st.closing:
        yield Diagnostic(
            "A001",
            src.at(part, ("closing",)),
            _(
                "{pid}：上期结转 {opening} + 本期结余 {surplus} = {expected}，但结转下期 closing 写的是 {closing}",
                pid=pid,
                opening=_money(st.opening),
                surplus=_money(st.surplus),
                expected=_money(st.opening + st.surplus),
                closing=_money(st.closing),
            ),
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
            message = _(
                "{pid}：酬金制的报表要写酬金 commission（计提方式 method 和本期金额 amount）",
                pid=pid,
            )
            yield Diagnostic("M001", src.at(part, ("regime",)), message)
        elif st.regime is ManagementMode.LUMP_SUM and st.commission is not None:
            message = _(
                "{pid}：包干制没有酬金：删掉 commission，或者把 regime 改成 酬金制", pid=pid
            )
            yield Diagnostic("M001", src.at(part, ("commission",)), message)
    mode = data.estate.management_mode
    if statements and data.accounts.property_fees[statements[0]].regime is not mode:
        pid = statements[0]
        message = _(
            "{pid}：最新的物业费报表是{regime}，estate.yaml 的 management_mode 是{mode}：两者要一致",
            pid=pid,
            regime=data.accounts.property_fees[pid].regime,
            mode=mode,
        )
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
        message = _(
            "各楼幢的 fund_initial_deposit 合计 {added}，maintenance_fund.initial_deposit 写的是 {total}（相差 {off}）",
            added=_money(added),
            total=_money(fund.initial_deposit),
            off=_off(fund.initial_deposit, added),
        )
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
                    _(
                        "{pid}：期间从 {start} 开始，与 {prev}（到 {end} 为止）重叠：本期的 from 应为 {next}",
                        pid=pid,
                        start=st.period.start,
                        prev=prev_id,
                        end=prev.period.end,
                        next=prev.period.end + dt.timedelta(days=1),
                    ),
                )
                continue
            if (st.period.start - prev.period.end).days > 1:
                yield Diagnostic(
                    "D003",
                    src.at(part, ("period", "from")),
                    _(
                        "{pid}：{gap_from} 至 {gap_to} 没有报表（接在 {prev} 之后）：本期的 from 应为 {gap_from}，或补上中间那一期",
                        pid=pid,
                        gap_from=prev.period.end + dt.timedelta(days=1),
                        gap_to=st.period.start - dt.timedelta(days=1),
                        prev=prev_id,
                    ),
                )
            yield from _carried(prev, st, prev_id, pid, src, part)


def _carried(
    prev: object, st: object, prev_id: str, pid: str, src: EstateSource, part: tuple[str, ...]
) -> Iterator[Diagnostic]:
    closing, opening = getattr(prev, "closing", None), getattr(st, "opening", None)
    if isinstance(st, ComplaintStatement) and closing != opening:
        message = _(
            "{pid}：上期转入的未办结 {opening} 件，与上一期 {prev} 期末仍在办理的 {closing} 件不符：期初要照抄上一期的期末",
            pid=pid, opening=opening, prev=prev_id, closing=closing,
        )  # fmt: skip
        yield Diagnostic("A003", src.at(part, ("opening",)), message)
    elif closing is not None and opening is not None and closing != opening:
        message = _(
            "{pid}：期初 {opening} 与上一期 {prev} 的期末 {closing} 不符，相差 {difference}：期初要照抄上一期的期末",
            pid=pid,
            opening=_money(opening),
            prev=prev_id,
            closing=_money(closing),
            difference=_money(opening - closing),
        )
        yield Diagnostic("A003", src.at(part, ("opening",)), message)
    if isinstance(prev, FundStatement) and isinstance(st, FundStatement):
        before = {b.building: b.closing for b in prev.buildings}
        for i, b in enumerate(st.buildings):
            if b.building in before and before[b.building] != b.opening:
                yield Diagnostic(
                    "A003",
                    src.at(part, ("buildings", i, "opening")),
                    _(
                        "{pid}：楼幢“{building}”期初 {opening} 与上一期 {prev} 的期末 {closing} 不符：期初要照抄上一期的期末",
                        pid=pid,
                        building=b.building,
                        opening=_money(b.opening),
                        prev=prev_id,
                        closing=_money(before[b.building]),
                    ),
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
                            _(
                                "{pid}：明细“{entry}”的日期 {date} 不在报表期间 {start} 至 {end} 内：请核对日期，或把它写进那一期的报表",
                                pid=pid,
                                entry=e.id,
                                date=e.date,
                                start=st.period.start,
                                end=st.period.end,
                            ),
                        )


def notice_bodies(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    for notice_id, notice in data.notices.items():
        if not notice.body.strip():
            yield Diagnostic(
                "N002",
                src.at(("notices", notice_id)),
                _(
                    "公告“{notice}”只有文件头，没有正文：请在第二个“---”下面写公告的内容",
                    notice=notice_id,
                ),
            )
    for doc_id, document in data.documents.items():
        if not document.body.strip():
            message = _(
                "制度文件“{document}”只有文件头，没有正文：请在第二个“---”下面写全文，居民要能读到它",
                document=doc_id,
            )
            yield Diagnostic("N002", src.at(("documents", doc_id)), message)


FUND_WORDS = ("维修资金", "维修基金")  # how a line names the maintenance fund
REVENUE_WORDS = ("公共收益",)  # and public revenue

# the two ways money moves between the accounts: (from, to), each (account, side, words naming the other)
TRANSFER_WAYS = (
    (("public_revenue", "expenditure", FUND_WORDS), ("maintenance_fund", "income", REVENUE_WORDS)),
    (("maintenance_fund", "expenditure", REVENUE_WORDS), ("public_revenue", "income", FUND_WORDS)),
)
ACCOUNT_NAMES = {
    "maintenance_fund": N_("专项维修资金"),
    "public_revenue": N_("公共收益"),
    "income": N_("收入"),
    "expenditure": N_("支出"),
}


def _names(entry: Entry, words: tuple[str, ...]) -> bool:
    """A line that moves money to or from the other account: its transfer id, or its words say so."""
    return entry.transfer is not None or any(
        w in entry.category or w in entry.summary for w in words
    )


def transfers(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    """A007, A008: money moved between public revenue and the fund is on both sides, equal in amount and date."""
    for sender, receiver in TRANSFER_WAYS:
        yield from _reconcile(data, src, sender, receiver)


def _reconcile(
    data: EstateData,
    src: EstateSource,
    sender: tuple[str, str, tuple[str, ...]],
    receiver: tuple[str, str, tuple[str, ...]],
) -> Iterator[Diagnostic]:
    lines = [
        [
            (pid, i, e)
            for pid, st in getattr(data.accounts, kind).items()
            for i, e in enumerate(getattr(st, side))
            if _names(e, words)
        ]
        for kind, side, words in (sender, receiver)
    ]
    (out_kind, out_side, _w), (in_kind, in_side, _v) = sender, receiver
    matched: set[int] = set()
    for pid, i, e in lines[0]:
        partner = _partner(e, [(p, j, x) for p, j, x in lines[1] if id(x) not in matched])
        field_name = "transfer" if e.transfer else "id"
        where = functools.partial(src.at, (*_ACCOUNTS, out_kind, pid), (out_side, i, field_name))
        if partner is None:
            yield Diagnostic("A007", where(), _unmatched(e, pid, sender, receiver))
            continue
        ppid, _j, other = partner
        matched.add(id(other))
        if (other.amount, other.date) != (e.amount, e.date):
            message = _(
                "转账 {id}：{sender} {pid} 转出 {amount} 元（{date}），{receiver} {other_pid} 转入 {other_amount} 元（{other_date}）；两边的金额和日期应当相同",
                id=e.transfer or e.id, sender=_(ACCOUNT_NAMES[out_kind]), pid=pid,
                amount=e.amount, date=e.date, receiver=_(ACCOUNT_NAMES[in_kind]),
                other_pid=ppid, other_amount=other.amount, other_date=other.date,
            )  # fmt: skip
            yield Diagnostic("A008", where(), message)
    for pid, j, e in lines[1]:
        if id(e) not in matched:
            field_name = "transfer" if e.transfer else "id"
            at = src.at((*_ACCOUNTS, in_kind, pid), (in_side, j, field_name))
            yield Diagnostic("A007", at, _unmatched(e, pid, receiver, sender))


def _partner(
    entry: Entry, candidates: list[tuple[str, int, Entry]]
) -> tuple[str, int, Entry] | None:
    """The other side of a transfer: the same transfer id, else the same amount and date."""
    if entry.transfer is not None:
        return next((c for c in candidates if c[2].transfer == entry.transfer), None)
    return next(
        (
            c
            for c in candidates
            if c[2].transfer is None and (c[2].amount, c[2].date) == (entry.amount, entry.date)
        ),
        None,
    )


def _unmatched(
    entry: Entry,
    pid: str,
    here: tuple[str, str, tuple[str, ...]],
    there: tuple[str, str, tuple[str, ...]],
) -> str:
    return _(
        "{here} {pid} 的 {id}（{amount} 元，{date}，{category}）是账户之间的转账，但{account}的{side}中没有对应的一笔。两边都要记账，并在两边写同一个 transfer 编号",
        here=_(ACCOUNT_NAMES[here[0]]), pid=pid, id=entry.id, amount=entry.amount, date=entry.date,
        category=entry.category, account=_(ACCOUNT_NAMES[there[0]]), side=_(ACCOUNT_NAMES[there[1]]),
    )  # fmt: skip


def building_transfers(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    """Transfers between buildings' fund accounts name real buildings, dated in their period."""
    known = {b.id for b in data.estate.buildings}
    for pid, st in data.accounts.maintenance_fund.items():
        part = (*_ACCOUNTS, "maintenance_fund", pid)
        for i, t in enumerate(st.transfers):
            for field_name, building in (("from", t.source), ("to", t.target)):
                if building not in known:
                    message = _(
                        "转账 {id}：楼幢 {building} 在 estate.yaml 中没有",
                        id=t.id,
                        building=building,
                    )
                    yield Diagnostic("I003", src.at(part, ("transfers", i, field_name)), message)
            if not st.period.start <= t.date <= st.period.end:
                message = _(
                    "转账 {id} 的日期 {date} 不在本期 {start} 至 {end} 之内",
                    id=t.id, date=t.date, start=st.period.start, end=st.period.end,
                )  # fmt: skip
                yield Diagnostic("D004", src.at(part, ("transfers", i, "date")), message)


def _scope(data: EstateData, vote: Vote) -> tuple[Decimal | None, int | None]:
    """The floor area and households of a vote's electorate, where the estate states them."""
    buildings = [b for b in data.estate.buildings if not vote.buildings or b.id in vote.buildings]
    if buildings:
        areas = [b.floor_area for b in buildings if b.floor_area is not None]
        homes = [b.households for b in buildings if b.households is not None]
        area = sum(areas, Decimal(0)) if len(areas) == len(buildings) else None
        count = sum(homes) if len(homes) == len(buildings) else None
        return area, count
    return data.estate.gross_floor_area, None


def electorates(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    """V003, V004: a vote's electorate is no larger than the owners it covers, nor much smaller."""
    for i, vote in enumerate(data.votes.votes if data.votes else []):
        area, homes = _scope(data, vote)
        scope = (
            _("楼幢 {buildings}", buildings="、".join(vote.buildings))
            if vote.buildings
            else _("全小区")
        )
        if area is not None and vote.total.area > area:
            message = _(
                "业主表决 {vote}：全体业主的面积 {total} ㎡ 大于{scope}的建筑面积 {area} ㎡",
                vote=vote.id, total=vote.total.area, scope=scope, area=area,
            )  # fmt: skip
            yield Diagnostic("V003", src.at(("votes",), ("votes", i, "total", "area")), message)
        if homes is not None and vote.total.headcount > homes:
            message = _(
                "业主表决 {vote}：全体业主 {total} 人多于{scope}的户数 {homes}",
                vote=vote.id, total=vote.total.headcount, scope=scope, homes=homes,
            )  # fmt: skip
            yield Diagnostic(
                "V003", src.at(("votes",), ("votes", i, "total", "headcount")), message
            )
        if area is not None and area > 0 and vote.total.area * 3 < area * 2:
            message = _(
                "业主表决 {vote}：全体业主的面积只有 {total} ㎡，不到{scope}建筑面积 {area} ㎡ 的三分之二。总数写小了，参与和同意的比例就会虚高；请按全体业主的专有部分面积填写，表决只涉及部分楼幢时在 buildings 中写明",
                vote=vote.id, total=vote.total.area, scope=scope, area=area,
            )  # fmt: skip
            yield Diagnostic("V004", src.at(("votes",), ("votes", i, "total", "area")), message)


def fund_use_votes(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    """V005, V006, V007: fund spending rests on an earlier vote about using the fund, by the owners who bear it."""
    votes = {v.id: v for v in (data.votes.votes if data.votes else [])}
    for pid, st in data.accounts.maintenance_fund.items():
        part = (*_ACCOUNTS, "maintenance_fund", pid)
        for i, e in enumerate(st.expenditure):
            vote = votes.get(e.vote) if e.vote else None
            if vote is None or e.emergency is not None:
                continue
            where = functools.partial(src.at, part, ("expenditure", i, "vote"))  # if one is found
            if vote.kind is not VoteKind.FUND_USE:
                message = _(
                    "专项维修资金 {pid} 的支出 {entry} 以表决 {vote} 为依据，但那次表决的事项是「{kind}」，不是「使用维修资金」",
                    pid=pid, entry=e.id, vote=vote.id, kind=vote.kind,
                )  # fmt: skip
                yield Diagnostic("V006", where(), message)
            if e.date < vote.date:
                message = _(
                    "专项维修资金 {pid} 的支出 {entry} 发生在 {date}，早于批准它的表决 {vote}（{vote_date}）：先表决，后动用维修资金",
                    pid=pid, entry=e.id, date=e.date, vote=vote.id, vote_date=vote.date,
                )  # fmt: skip
                yield Diagnostic("V007", src.at(part, ("expenditure", i, "date")), message)
            yield from _voted_by_the_owners_who_pay(e, vote, pid, where)


def _voted_by_the_owners_who_pay(
    e: FundExpenditure, vote: Vote, pid: str, where: Callable[[], Location]
) -> Iterator[Diagnostic]:
    """V005: a vote of some buildings' owners approves spending those buildings bear, named."""
    if not vote.buildings:
        return
    outside = [b for b in e.buildings if b not in vote.buildings]
    if not e.buildings:
        message = _(
            "专项维修资金 {pid} 的支出 {entry} 以楼幢 {scope} 业主的表决 {vote} 为依据，却没有写由哪些楼幢分摊（buildings）：请写明分摊的楼幢",
            pid=pid, entry=e.id, scope="、".join(vote.buildings), vote=vote.id,
        )  # fmt: skip
        yield Diagnostic("V005", where(), message)
    elif outside:
        message = _(
            "专项维修资金 {pid} 的支出 {entry} 由楼幢 {outside} 分摊，但表决 {vote} 只有楼幢 {scope} 的业主参加：分摊费用的楼幢业主都应参加表决",
            pid=pid, entry=e.id, outside="、".join(outside), vote=vote.id,
            scope="、".join(vote.buildings),
        )  # fmt: skip
        yield Diagnostic("V005", where(), message)


def buildings_bear_their_spending(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    """A009: a building's account spends what the statement's lines charge it, and only that.

    A line borne by one building is all in that building's spending; a
    building whose account spends names a line it bears (or a transfer out,
    or a line the whole estate bears).
    """
    for pid, st in data.accounts.maintenance_fund.items():
        if not st.buildings:
            continue
        part = (*_ACCOUNTS, "maintenance_fund", pid)
        spent = {b.building: b.expenditure for b in st.buildings}
        alone: dict[str, Decimal] = {}
        for e in st.expenditure:
            if len(e.buildings) == 1:
                alone[e.buildings[0]] = alone.get(e.buildings[0], Decimal(0)) + e.amount
        named = {b for e in st.expenditure for b in e.buildings}
        shared = any(not e.buildings for e in st.expenditure)
        sent = {t.source for t in st.transfers}
        for i, account in enumerate(st.buildings):
            building = account.building
            if alone.get(building, Decimal(0)) > account.expenditure:
                message = _(
                    "{pid}：楼幢 {building} 单独分摊的支出合计 {bears}，但它的账户本期支出只有 {spent}：分幢账户要记上本幢分摊的每一笔",
                    pid=pid, building=building, bears=_money(alone[building]),
                    spent=_money(account.expenditure),
                )  # fmt: skip
                yield Diagnostic("A009", src.at(part, ("buildings", i, "expenditure")), message)
            elif account.expenditure > 0 and building not in named | sent and not shared:
                message = _(
                    "{pid}：楼幢 {building} 的账户本期支出 {spent}，但没有哪一笔支出写明由它分摊（buildings）：请在那笔支出的 buildings 中写上 {building}",
                    pid=pid, building=building, spent=_money(spent[building]),
                )  # fmt: skip
                yield Diagnostic("A009", src.at(part, ("buildings", i, "expenditure")), message)


def correction_notices(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    """I003, N003: each correction is announced by a notice of the category 更正 that exists."""
    if data.corrections is None:
        return
    for i, c in enumerate(data.corrections.corrections):
        where = functools.partial(src.at, ("corrections",), ("corrections", i, "notice"))
        notice = data.notices.get(c.notice)
        if notice is None:
            message = _(
                "更正 {id} 写的公告 {notice} 不存在：请在 notices/ 下发一条类别为“更正”的公告，文件名就是这个编号",
                id=c.id, notice=c.notice,
            )  # fmt: skip
            yield Diagnostic("I003", where(), message)
        elif notice.category is not NoticeCategory.CORRECTION:
            message = _(
                "更正 {id} 写的公告 {notice} 的类别是“{category}”：宣布更正的公告类别要写“更正”",
                id=c.id, notice=c.notice, category=notice.category,
            )  # fmt: skip
            yield Diagnostic("N003", where(), message)


# ---- governance.yaml, documents/, evaluations.yaml, meetings.yaml, complaint statements ----

_NOTICE = N_("公告“{value}”不存在：请检查编号的拼写，它是 notices/ 下公告的文件名（不含 .md）")
_FEE = N_("收费标准“{value}”不存在：请检查编号的拼写，它是 fees.yaml 中 standards 的 id")
_EVALUATION = N_(
    "服务评价“{value}”不存在：请检查编号的拼写，它是 evaluations.yaml 中 surveys 或 reviews 的 id"
)
_DOCUMENT = N_("制度文件“{value}”不存在：请检查编号的拼写，它是 documents/ 下的文件名（不含 .md）")
Ref = tuple[str | None, set[str], str, tuple[str, ...], tuple[str | int, ...]]


def _service_references(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    """I003: what governance, documents and meetings refer to exists."""
    for value, known, what, part, path in _service_refs(data):
        if value is not None and value not in known:
            yield Diagnostic("I003", src.at(part, path), _(what, value=value))


def _service_refs(data: EstateData) -> Iterator[Ref]:
    votes = {v.id for v in data.votes.votes} if data.votes else set()
    notices, documents = set(data.notices), set(data.documents)
    gov = ("governance",)
    for i, election in enumerate(data.governance.elections if data.governance else []):
        yield election.vote, votes, _VOTE, gov, ("elections", i, "vote")
        yield election.notice, notices, _NOTICE, gov, ("elections", i, "notice")
    buildings = {b.id for b in data.estate.buildings}
    for i, role in enumerate(data.governance.roles if data.governance else []):
        for j, b in enumerate(role.buildings):
            yield b, buildings, _BUILDING, gov, ("roles", i, "buildings", j)
    for doc_id, doc in data.documents.items():
        yield doc.vote, votes, _VOTE, ("documents", doc_id), ("vote",)
        yield doc.replaces, documents, _DOCUMENT, ("documents", doc_id), ("replaces",)
    fees = {f.id for f in data.fees.standards} if data.fees else set()
    held = data.evaluations
    evaluations = {s.id for s in held.surveys} | {r.id for r in held.reviews} if held else set()
    for i, m in enumerate(data.meetings.meetings if data.meetings else []):
        place = ("meetings",)
        yield m.vote, votes, _VOTE, place, ("meetings", i, "vote")
        yield m.fee, fees, _FEE, place, ("meetings", i, "fee")
        yield m.evaluation, evaluations, _EVALUATION, place, ("meetings", i, "evaluation")
        yield m.notice, notices, _NOTICE, place, ("meetings", i, "notice")


def _unique_service_ids(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    """I002 over the lists of governance.yaml, evaluations.yaml and meetings.yaml."""
    lists: list[tuple[tuple[str, ...], str, Sequence[Any], str]] = []
    if data.governance:
        g = data.governance
        lists += [
            (("governance",), "party", g.party, N_("党组织")),
            (("governance",), "roles", g.roles, N_("职务")),
        ]
        lists += [
            (("governance",), "elections", g.elections, N_("选举")),
            (("governance",), "reception", g.reception, N_("接待日")),
        ]
    if data.evaluations:
        e = data.evaluations
        lists += [
            (("evaluations",), "surveys", e.surveys, N_("调查")),
            (("evaluations",), "reviews", e.reviews, N_("评价")),
        ]
        lists += [(("evaluations",), "ratings", e.ratings, N_("红黑榜"))]
    if data.meetings:
        lists.append((("meetings",), "meetings", data.meetings.meetings, N_("会议")))
    for part, key, items, what in lists:
        yield from _duplicates(
            ((x.id, part, (key, i, "id")) for i, x in enumerate(items)), src, what
        )
    for i, survey in enumerate(data.evaluations.surveys if data.evaluations else []):
        yield from _duplicates(
            ((x.id, ("evaluations",), ("surveys", i, "items", j, "id")) for j, x in enumerate(survey.items)),
            src,
            N_("测评事项"),
        )  # fmt: skip


_MOBILE = re.compile(r"(?:\+?86)?1[3-9][0-9]{9}\Z")


def _people(
    data: EstateData,
) -> Iterator[tuple[Person, tuple[str, ...], tuple[str | int, ...], bool]]:
    """(person, part, path, whether their role may be published) for every person the estate names."""
    committee = data.estate.committee
    for i, member in enumerate(committee.members if committee else []):
        yield member, ("estate",), ("committee", "members", i), True
    for i, org in enumerate(data.governance.party if data.governance else []):
        if org.secretary is not None:
            yield org.secretary, ("governance",), ("party", i, "secretary"), True
    for i, role in enumerate(data.governance.roles if data.governance else []):
        if role.holder is not None:
            yield role.holder, ("governance",), ("roles", i, "holder"), role.kind in PUBLIC_ROLES


def privacy(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    """G001, G002: residents serving in a role are never named; no personal mobile number is published."""
    for person, part, path, role_public in _people(data):
        if person.public and not role_public:
            message = _(
                "“{name}”由居民担任：楼道长、党员先锋岗、志愿者的姓名和电话一律不公开。请删掉 public: true；公示负责的楼幢和职责即可",
                name=_role_word(data, path),
            )
            yield Diagnostic("G001", src.at(part, (*path, "public")), message)
        elif (
            person.public and person.phone and _MOBILE.match(re.sub(r"[\s()\-]", "", person.phone))
        ):
            message = _(
                "{phone} 是个人手机号码：标了 public: true 的人员，电话会原样公开。请改写办公电话（如业委会办公室、社区的电话），或删掉 phone",
                phone=person.phone,
            )
            yield Diagnostic("G002", src.at(part, (*path, "phone")), message)


def _role_word(data: EstateData, path: tuple[str | int, ...]) -> str:
    """A role as the clerk wrote it: its title, else its kind."""
    assert data.governance is not None
    role = data.governance.roles[int(path[1])]
    return str(role.title or role.kind.value)


def joint_branches(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    """G003: a joint branch says which bodies it joins, at least two."""
    for i, org in enumerate(data.governance.party if data.governance else []):
        if org.kind is PartyKind.JOINT and len(set(org.joins)) < 2:
            message = _(
                "联合党支部“{name}”要在 joins 中写明由哪几方组成（至少两方），如 [居委会, 业主委员会, 物业服务企业]",
                name=org.name,
            )
            field_name = "joins" if org.joins else "kind"
            yield Diagnostic("G003", src.at(("governance",), ("party", i, field_name)), message)


def elections(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    """Q001, G006: an election's seats hold its party members; candidates are posted before it."""
    for i, e in enumerate(data.governance.elections if data.governance else []):
        place = ("elections", i)
        for field_name, count, what in (
            ("party_members", e.party_members, N_("党员")),
            ("cross_appointed", e.cross_appointed, N_("交叉任职的委员")),
        ):
            if count is not None and count > e.seats:
                message = _(
                    "选举 {id}：{what} {count} 人，多于委员名额 {seats} 人",
                    id=e.id, what=_(what), count=count, seats=e.seats,
                )  # fmt: skip
                yield Diagnostic("Q001", src.at(("governance",), (*place, field_name)), message)
        if e.candidates_posted is not None and e.candidates_posted.start >= e.date:
            message = _(
                "选举 {id}：候选人名单从 {start} 起公示，不早于选举日 {date}。候选人要在选举之前公示，请核对日期",
                id=e.id, start=e.candidates_posted.start, date=e.date,
            )  # fmt: skip
            where = src.at(("governance",), (*place, "candidates_posted", "from"))
            yield Diagnostic("G006", where, message)


def committee_term(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    """G004: the owners' committee in estate.yaml is the one its latest election chose."""
    committee = data.estate.committee
    held = data.governance.elections if data.governance else []
    if committee is None or committee.kind is not CommitteeKind.OWNERS or not held:
        return
    latest = max(held, key=lambda e: e.date)
    if (latest.term.start, latest.term.end) != (committee.term.start, committee.term.end):
        message = _(
            "estate.yaml 中业委会的任期是 {term}，governance.yaml 中最近一次选举 {id}（{date}）选出的任期是 {elected}：两处要一致；换届后请把 estate.yaml 的 committee 改成新一届",
            term=_span(committee.term.start, committee.term.end), id=latest.id,
            date=latest.date, elected=_span(latest.term.start, latest.term.end),
        )  # fmt: skip
        yield Diagnostic("G004", src.at(("estate",), ("committee", "term")), message)


# what each of the owners' texts is adopted by (《民法典》第二百七十八条)
DOCUMENT_VOTES = {
    DocumentKind.COVENANT: {VoteKind.RULES},
    DocumentKind.PROCEDURE: {VoteKind.PROCEDURE},
    DocumentKind.COMMITTEE_RULES: {VoteKind.PROCEDURE, VoteKind.OTHER},
}


def adopted_by_vote(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    """G005: a document or an election rests on a vote of its own kind, closed by its date."""
    votes = {v.id: v for v in (data.votes.votes if data.votes else [])}
    for doc_id, doc in data.documents.items():
        vote = votes.get(doc.vote) if doc.vote else None
        wanted = DOCUMENT_VOTES.get(doc.kind)
        if vote is not None:
            yield from _vote_fits(
                vote, wanted, doc.adopted, doc.title, ("documents", doc_id), (), src
            )
    for i, e in enumerate(data.governance.elections if data.governance else []):
        vote = votes.get(e.vote) if e.vote else None
        what = _("选举 {id}", id=e.id)
        if vote is not None:
            yield from _vote_fits(
                vote, {VoteKind.COMMITTEE}, e.date, what, ("governance",), ("elections", i), src
            )


def _vote_fits(
    vote: Vote,
    wanted: set[VoteKind] | None,
    day: dt.date,
    what: str,
    part: tuple[str, ...],
    path: tuple[str | int, ...],
    src: EstateSource,
) -> Iterator[Diagnostic]:
    if wanted is not None and vote.kind not in wanted:
        message = _(
            "{what}以表决 {vote} 为依据，但那次表决的事项是「{kind}」，应是「{wanted}」",
            what=what, vote=vote.id, kind=vote.kind, wanted=_("」或「").join(sorted(wanted)),
        )  # fmt: skip
        yield Diagnostic("G005", src.at(part, (*path, "vote")), message)
    if vote.date > day:
        message = _(
            "{what}的日期是 {day}，早于通过它的表决 {vote} 的截止日 {vote_date}：先表决，后通过",
            what=what, day=day, vote=vote.id, vote_date=vote.date,
        )  # fmt: skip
        field_name = "adopted" if part[0] == "documents" else "date"
        yield Diagnostic("G005", src.at(part, (*path, field_name)), message)


def surveys(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    """Q001, E001, E002: a survey's counts and scores are possible."""
    for i, sv in enumerate(data.evaluations.surveys if data.evaluations else []):
        place = ("surveys", i)
        if sv.responses > sv.sample:
            message = _(
                "调查 {id}：有效回收 {responses} 份，多于发放的 {sample} 户：回收的问卷不会多于发放的",
                id=sv.id, responses=sv.responses, sample=sv.sample,
            )  # fmt: skip
            yield Diagnostic("Q001", src.at(("evaluations",), (*place, "responses")), message)
        if sv.items and sv.item_count is not None and sv.item_count != len(sv.items):
            message = _(
                "调查 {id}：item_count 写的是 {count} 项，items 列出了 {listed} 项：两者要一致；逐项列出时可以不写 item_count",
                id=sv.id, count=sv.item_count, listed=len(sv.items),
            )  # fmt: skip
            yield Diagnostic("E002", src.at(("evaluations",), (*place, "item_count")), message)
        yield from _scores(sv.id, sv.score, sv.out_of, [x.score for x in sv.items], place, src)


def _scores(
    what: str,
    score: Decimal | None,
    out_of: Decimal,
    items: list[Decimal],
    place: tuple[str | int, ...],
    src: EstateSource,
) -> Iterator[Diagnostic]:
    where = ("evaluations",)
    for j, item in enumerate(items):
        if item > out_of:
            message = _(
                "{id}：第 {n} 项得分 {score}，超过满分 {out_of}",
                id=what,
                n=j + 1,
                score=item,
                out_of=out_of,
            )
            yield Diagnostic("E001", src.at(where, (*place, "items", j, "score")), message)
    if score is not None and score > out_of:
        message = _(
            "{id}：得分 {score} 超过满分 {out_of}：满分不是 100 的，请写 out_of",
            id=what,
            score=score,
            out_of=out_of,
        )
        yield Diagnostic("E001", src.at(where, (*place, "score")), message)
    elif score is not None and items and not min(items) <= score <= max(items):
        message = _(
            "{id}：总分 {score} 不在各项得分的最低分 {low} 和最高分 {high} 之间：总分是各项的（加权）平均，请核对",
            id=what, score=score, low=min(items), high=max(items),
        )  # fmt: skip
        yield Diagnostic("E001", src.at(where, (*place, "score")), message)


def survey_sample(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    """Q001: a survey asks no more households than the estate has."""
    for i, sv in enumerate(data.evaluations.surveys if data.evaluations else []):
        if sv.sample > data.estate.households:
            message = _(
                "调查 {id}：发放 {sample} 户，多于小区的 {households} 户（estate.yaml households）：请核对户数",
                id=sv.id, sample=sv.sample, households=data.estate.households,
            )  # fmt: skip
            yield Diagnostic("Q001", src.at(("evaluations",), ("surveys", i, "sample")), message)


def reviews_and_ratings(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    """Q001, E001, D001: a rank within those ranked, a score within full marks, a deadline after its notice."""
    held = data.evaluations
    for i, r in enumerate(held.reviews if held else []):
        if r.rank is not None and r.ranked is not None and r.rank > r.ranked:
            message = _(
                "评价 {id}：第 {rank} 名，但参评的只有 {ranked} 家",
                id=r.id,
                rank=r.rank,
                ranked=r.ranked,
            )
            yield Diagnostic("Q001", src.at(("evaluations",), ("reviews", i, "rank")), message)
        yield from _scores(r.id, r.score, r.out_of, [], ("reviews", i), src)
    for i, rating in enumerate(held.ratings if held else []):
        for field_name, day in (("rectify_by", rating.rectify_by), ("rectified", rating.rectified)):
            if day is not None and day < rating.date:
                message = _(
                    "红黑榜 {id}：{field} 写的是 {day}，早于通报日期 {date}：请检查是不是把日期写反了",
                    id=rating.id, field=field_name, day=day, date=rating.date,
                )  # fmt: skip
                yield Diagnostic(
                    "D001", src.at(("evaluations",), ("ratings", i, field_name)), message
                )


def _complaint_statement(
    st: ComplaintStatement, pid: str, src: EstateSource, part: tuple[str, ...]
) -> Iterator[Diagnostic]:
    """A001, A004, Q001: open + received − resolved = still open; the categories add up."""
    expected = st.opening + st.received - st.resolved
    if expected != st.closing:
        message = _(
            "{pid}：上期未办结 {opening} + 本期受理 {received} − 本期办结 {resolved} = {expected} 件，但期末仍在办理写的是 {closing} 件：请核对",
            pid=pid, opening=st.opening, received=st.received, resolved=st.resolved,
            expected=expected, closing=st.closing,
        )  # fmt: skip
        yield Diagnostic("A001", src.at(part, ("closing",)), message)
    for field_name, label in (("received", N_("受理")), ("resolved", N_("办结"))):
        added = sum(getattr(c, field_name) for c in st.by_category)
        if st.by_category and added != getattr(st, field_name):
            message = _(
                "{pid}：各类别{what}合计 {added} 件，本期{what}写的是 {total} 件：请核对 by_category",
                pid=pid, what=_(label), added=added, total=getattr(st, field_name),
            )  # fmt: skip
            yield Diagnostic("A004", src.at(part, ("by_category",)), message)
    for field_name, label in (("in_time", N_("按时办结")), ("satisfied", N_("回访满意"))):
        count = getattr(st, field_name)
        if count is not None and count > st.resolved:
            message = _(
                "{pid}：{what} {count} 件，多于本期办结的 {resolved} 件",
                pid=pid, what=_(label), count=count, resolved=st.resolved,
            )  # fmt: skip
            yield Diagnostic("Q001", src.at(part, (field_name,)), message)


def meeting_counts(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    """Q001: no more problems solved at a meeting than were raised there."""
    for i, m in enumerate(data.meetings.meetings if data.meetings else []):
        if m.raised is not None and m.solved is not None and m.solved > m.raised:
            message = _(
                "会议 {id}：当场解决 {solved} 件，多于居民反映的 {raised} 件",
                id=m.id, solved=m.solved, raised=m.raised,
            )  # fmt: skip
            yield Diagnostic("Q001", src.at(("meetings",), ("meetings", i, "solved")), message)


def meeting_outcomes(data: EstateData, src: EstateSource) -> Iterator[Diagnostic]:
    """J001, J002: what a meeting led to comes after it; a fee meeting weighs the service first."""
    votes = {v.id: v for v in (data.votes.votes if data.votes else [])}
    fees = {f.id: f for f in (data.fees.standards if data.fees else [])}
    held = data.evaluations
    ended = {s.id: s.period.end for s in held.surveys} if held else {}
    ended |= {r.id: r.date for r in held.reviews} if held else {}
    for i, m in enumerate(data.meetings.meetings if data.meetings else []):
        place = ("meetings", i)
        vote = votes.get(m.vote) if m.vote else None
        if vote is not None and vote.date < m.date:
            message = _(
                "会议 {id}（{date}）促成的表决 {vote} 在 {vote_date} 就已截止，早于会议：请核对 vote 和日期",
                id=m.id, date=m.date, vote=vote.id, vote_date=vote.date,
            )  # fmt: skip
            yield Diagnostic("J001", src.at(("meetings",), (*place, "vote")), message)
        fee = fees.get(m.fee) if m.fee else None
        if fee is not None and not any(p.start >= m.date for p in fee.periods):
            message = _(
                "会议 {id}（{date}）写明调整了收费标准 {fee}，但这项收费没有在会议之后开始的执行期间：调价请在 fees.yaml 中新增一个期间",
                id=m.id, date=m.date, fee=fee.id,
            )  # fmt: skip
            yield Diagnostic("J001", src.at(("meetings",), (*place, "fee")), message)
        # an evaluation named but unknown is I003 (references); one known ended before, or not
        weighed = m.evaluation is not None and ended.get(m.evaluation, dt.date.min) <= m.date
        priced = m.fee is not None or (vote is not None and vote.kind is VoteKind.FEES)
        if m.kind is MeetingKind.FEES and priced and not weighed:
            message = _(
                "议价会议 {id}（{date}）调整了收费，但没有引用会前完成的服务质量评价（evaluation）：按“质价相符、先质后价”，先请业主评价服务，再议价格",
                id=m.id, date=m.date,
            )  # fmt: skip
            yield Diagnostic(
                "J002",
                src.at(("meetings",), (*place, "evaluation" if m.evaluation else "id")),
                message,
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
    notice_bodies,
    transfers,
    building_transfers,
    buildings_bear_their_spending,
    correction_notices,
    electorates,
    fund_use_votes,
    privacy,
    joint_branches,
    elections,
    committee_term,
    adopted_by_vote,
    surveys,
    survey_sample,
    reviews_and_ratings,
    meeting_counts,
    meeting_outcomes,
]
CROSS_FILE: set[Rule] = {
    references,
    periods_chain,
    transfers,
    electorates,
    fund_use_votes,
    buildings_bear_their_spending,
    correction_notices,
    committee_term,
    adopted_by_vote,
    survey_sample,
    meeting_outcomes,
}
