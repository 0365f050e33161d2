"""Rules over one estate's model -> diagnostics; every rule runs, none stops the others."""

from __future__ import annotations

import datetime as dt
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
    Entry,
    FeeStatement,
    FundExpenditure,
    FundStatement,
    RevenueStatement,
    Vote,
    VoteKind,
)
from .model.estate import ManagementMode
from .model.fees import PricePeriod, PricingRegime
from .model.notices import NoticeCategory

MEASURES = {"area": N_("面积"), "headcount": N_("人数")}
TOTALS = {
    "opening": N_("期初"),
    "income": N_("收入"),
    "expenditure": N_("支出"),
    "closing": N_("期末"),
}
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
    # no thousands separators: a clerk copies what a message shows, and YAML refuses them
    return f"{value:.2f}"


def _off(expected: Decimal, written: Decimal) -> str:
    return _money(written - expected)


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
    seen: dict[str, str] = {}
    for item_id, part, path in items:
        if item_id in seen:
            yield Diagnostic(
                "I002",
                src.at(part, path),
                _(
                    "{what}编号“{id}”用了两次（第一次在 {first}）：每个编号只能用一次，请给这一条换一个编号",
                    what=_(what),
                    id=item_id,
                    first=seen[item_id],
                ),
            )
        else:
            seen[item_id] = str(src.at(part, path))


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
                            "收费“{fee}”：从 {start} 起的执行期间与 periods[{k}]（{from_} 至 {to}）重叠：调价时请给旧期间写上 to，即新期间开始的前一天 {day}",
                            fee=fee.id,
                            start=p.start,
                            k=k,
                            from_=earlier.start,
                            to=earlier.end or _("至今"),
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
                    "{pid}：各楼幢账户的{field}合计 {added}，小区合计是 {total}（相差 {off}）：请核对 buildings 里各楼幢的数字",
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
    if closing is not None and opening is not None and closing != opening:
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
        where = src.at((*_ACCOUNTS, out_kind, pid), (out_side, i, field_name))
        if partner is None:
            yield Diagnostic("A007", where, _unmatched(e, pid, sender, receiver))
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
            yield Diagnostic("A008", where, message)
    for pid, j, e in lines[1]:
        if id(e) not in matched:
            field_name = "transfer" if e.transfer else "id"
            where = src.at((*_ACCOUNTS, in_kind, pid), (in_side, j, field_name))
            yield Diagnostic("A007", where, _unmatched(e, pid, receiver, sender))


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
            where = src.at(part, ("expenditure", i, "vote"))
            if vote.kind is not VoteKind.FUND_USE:
                message = _(
                    "专项维修资金 {pid} 的支出 {entry} 以表决 {vote} 为依据，但那次表决的事项是「{kind}」，不是「使用维修资金」",
                    pid=pid, entry=e.id, vote=vote.id, kind=vote.kind,
                )  # fmt: skip
                yield Diagnostic("V006", where, message)
            if e.date < vote.date:
                message = _(
                    "专项维修资金 {pid} 的支出 {entry} 发生在 {date}，早于批准它的表决 {vote}（{vote_date}）：先表决，后动用维修资金",
                    pid=pid, entry=e.id, date=e.date, vote=vote.id, vote_date=vote.date,
                )  # fmt: skip
                yield Diagnostic("V007", src.at(part, ("expenditure", i, "date")), message)
            yield from _voted_by_the_owners_who_pay(e, vote, pid, where)


def _voted_by_the_owners_who_pay(
    e: FundExpenditure, vote: Vote, pid: str, where: Location
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
        yield Diagnostic("V005", where, message)
    elif outside:
        message = _(
            "专项维修资金 {pid} 的支出 {entry} 由楼幢 {outside} 分摊，但表决 {vote} 只有楼幢 {scope} 的业主参加：分摊费用的楼幢业主都应参加表决",
            pid=pid, entry=e.id, outside="、".join(outside), vote=vote.id,
            scope="、".join(vote.buildings),
        )  # fmt: skip
        yield Diagnostic("V005", where, message)


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
        where = src.at(("corrections",), ("corrections", i, "notice"))
        notice = data.notices.get(c.notice)
        if notice is None:
            message = _(
                "更正 {id} 写的公告 {notice} 不存在：请在 notices/ 下发一条类别为“更正”的公告，文件名就是这个编号",
                id=c.id, notice=c.notice,
            )  # fmt: skip
            yield Diagnostic("I003", where, message)
        elif notice.category is not NoticeCategory.CORRECTION:
            message = _(
                "更正 {id} 写的公告 {notice} 的类别是“{category}”：宣布更正的公告类别要写“更正”",
                id=c.id, notice=c.notice, category=notice.category,
            )  # fmt: skip
            yield Diagnostic("N003", where, message)


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
]
CROSS_FILE: set[Rule] = {
    references,
    periods_chain,
    transfers,
    electorates,
    fund_use_votes,
    buildings_bear_their_spending,
    correction_notices,
}
