"""Tidy tables of a release: one table a kind of row, each row naming its estate, release and period.

The same tables are each release's csv/<table>.csv and, over every
estate's latest release, the city's data/ (CSV, SQLite). Values are text
as published: amounts exact in yuan with two places, dates ISO 8601.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..model.accounts import ComplaintStatement, FeeStatement, FundStatement, RevenueStatement
from ..model.base import Period
from ..views import View, fee_totals

KEYS = (("estate", "小区编号"), ("release", "期次编号"))


@dataclass(frozen=True)
class Table:
    """A table: its name, what a row is, and its columns as (id, Chinese label)."""

    name: str
    title: str
    row: str
    columns: tuple[tuple[str, str], ...]
    text_search: tuple[str, ...] = ()  # columns the SQLite database indexes for full-text search

    @property
    def ids(self) -> list[str]:
        return [c for c, _ in self.columns]

    @property
    def labels(self) -> list[str]:
        return [label for _, label in self.columns]


def _t(name: str, title: str, row: str, *columns: str, search: tuple[str, ...] = ()) -> Table:
    """A table whose columns are written "id 标签", after the estate and release."""
    pairs = tuple((c.split(" ", 1)[0], c.split(" ", 1)[1]) for c in columns)
    return Table(name, title, row, KEYS + pairs, search)


PERIOD = ("period 报表期间编号", "period_from 期间开始", "period_to 期间结束")
TOTALS = ("opening 期初余额", "income 本期收入", "expenditure 本期支出", "closing 期末余额")
TABLES = {
    t.name: t
    for t in [
        _t("estates", "小区", "一个小区的最新一期", "release_date 发布日期", "name 小区名称", "city 城市", "district 区", "street 街道", "community 社区", "address 地址", "built 建成年份", "households 户数", "gross_floor_area 总建筑面积（㎡）", "property_types 物业类型", "management_mode 收费方式", "firm 物业服务企业", "firm_credit_code 统一社会信用代码", "committee 业委会或物管会", "fund_initial_deposit 维修资金首期归集额（元）", "fingerprint 核验码"),
        _t("figures", "比较指标", "一个小区的一项指标", "figure 指标", "value 数值", "unit 单位"),
        _t("fees", "收费标准", "一个收费项目的一个执行期间", "fee 收费项目编号", "item 收费项目", "payer 缴费人", "applies_to 适用对象", "unit 计费单位", "calculation 计费方式", "period_from 执行开始", "period_to 执行结束", "amount 收费标准", "regime 定价方式", "basis_kind 依据类型", "basis_ref 依据", "posted 调价公示日期"),
        _t("contracts", "合同", "一份合同", "contract 合同编号", "kind 合同类型", "title 合同名称", "client 甲方", "contractor 乙方", "term_from 合同开始", "term_to 合同结束", "amount 合同金额（元）", "per 金额计法", "selection 选聘方式", "scope 服务范围", "amendments 补充协议份数"),
        _t("services", "四保服务", "一项服务标准", "guarantee 四保类别", "staffing 在岗人数", "level 服务等级", "standard 标准编号", "item 服务内容", "requirement 标准和频次", "response_time 响应时限"),
        _t("votes", "业主表决", "一次表决", "vote 表决编号", "date 表决日期", "matter 表决事项", "kind 事项类型", "total_area 全体业主面积（㎡）", "total_headcount 全体业主人数", "participating_area 参与面积（㎡）", "participating_headcount 参与人数", "approving_area 同意面积（㎡）", "approving_headcount 同意人数"),
        _t("fund_statements", "维修资金报表", "一期报表", *PERIOD, *TOTALS),
        _t("fund_entries", "维修资金明细", "一笔收入或支出", *PERIOD[:1], "side 收支", "entry 明细编号", "date 日期", "category 类别", "summary 摘要", "amount 金额（元）", "project 工程项目", "contractor 施工单位", "vote 表决编号", "emergency 应急情形", "transfer 转账编号"),
        _t("fund_buildings", "维修资金分幢账户", "一幢楼一期的账户", *PERIOD[:1], "building 楼幢编号", "building_name 楼幢", *TOTALS),
        _t("revenue_statements", "公共收益报表", "一期报表", *PERIOD, *TOTALS, "plan 留存余额的用途"),
        _t("revenue_entries", "公共收益明细", "一笔收入或支出", *PERIOD[:1], "side 收支", "entry 明细编号", "date 日期", "category 类别", "summary 摘要", "amount 金额（元）", "transfer 转账编号"),
        _t("fee_statements", "物业费收支报表", "一期报表", *PERIOD, "regime 收费方式", "basis 核算基础", "receivable 应收（元）", "received 实收（元）", "rate 收缴率（%）", "arrears_recovered 追缴以前年度欠费（元）", "expenditure 支出（元）", "commission 酬金（元）", "surplus 结余（元）"),
        _t("fee_collection", "物业费应收实收", "一类物业一期的收缴", *PERIOD[:1], "line 编号", "label 物业类型", "area 计费面积（㎡）", "receivable 应收（元）", "received 实收（元）", "rate 收缴率（%）"),
        _t("fee_costs", "物业费支出", "一期的一项收入或支出", *PERIOD[:1], "side 收支", "category 类别", "amount 金额（元）", "budget 预算（元）"),
        _t("complaint_statements", "投诉处理", "一期投诉处理情况", *PERIOD, "opening 上期未办结（件）", "received 本期受理（件）", "resolved 本期办结（件）", "closing 期末仍在办理（件）", "median_days 办结用时中位数（天）", "in_time 按时办结（件）", "satisfied 回访满意（件）"),
        _t("complaint_categories", "投诉处理分类", "一期一类投诉", *PERIOD[:1], "category 类别", "received 受理（件）", "resolved 办结（件）"),
        _t("surveys", "满意度调查", "一次调查或测评", "survey 调查编号", "title 名称", "run_by 组织单位", "period_from 调查开始", "period_to 调查结束", "anonymous 无记名", "sample 发放户数", "responses 有效回收", "item_count 测评事项数", "out_of 满分", "score 总得分"),
        _t("notices", "公告", "一则公告", "notice 公告编号", "date 发布日期", "category 类别", "title 标题", "posting_from 公示开始", "posting_to 公示结束", "body 正文（Markdown）", search=("title", "body")),
    ]
}  # fmt: skip


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value.value if hasattr(value, "value") and not isinstance(value, str) else value)


Rows = dict[str, list[list[str]]]


def release_rows(view: View, figures: dict[str, tuple[Any, str]] | None = None) -> Rows:
    """Every table's rows for one release; ``figures``: the estate's comparable figures (value, unit)."""
    keys = [view.estate_id, view.release_id]
    out: Rows = {name: [] for name in TABLES}
    for name, rows in _all(view, figures or {}):
        out[name] += [[*keys, *(_text(v) for v in row)] for row in rows]
    return out


def _all(view: View, figures: dict[str, tuple[Any, str]]) -> Iterator[tuple[str, list[list[Any]]]]:
    data = view.data
    yield "estates", [_estate(view)]
    yield "figures", [[k, v, unit] for k, (v, unit) in figures.items()]
    fees = data.fees.standards if data.fees else []
    yield "fees", [
        [f.id, f.item, f.payer, f.applies_to, f.unit, f.calculation, p.start, p.end, p.amount, p.regime, p.basis.kind, p.basis.ref, p.posted]
        for f in fees for p in f.periods
    ]  # fmt: skip
    contracts = data.contracts.contracts if data.contracts else []
    yield "contracts", [
        [c.id, c.kind, c.title, c.client, c.contractor, c.term.start, c.term.end, c.amount.value, c.amount.per, c.selection, c.scope, len(c.amendments)]
        for c in contracts
    ]  # fmt: skip
    yield "services", list(_services(view))
    votes = data.votes.votes if data.votes else []
    yield "votes", [
        [v.id, v.date, v.matter, v.kind, v.total.area, v.total.headcount, v.participating.area, v.participating.headcount, v.approving.area, v.approving.headcount]
        for v in votes
    ]  # fmt: skip
    yield from _ledgers("fund", data.accounts.maintenance_fund, _fund_entry)
    yield "fund_buildings", list(_buildings(view))
    yield from _ledgers("revenue", data.accounts.public_revenue, _revenue_entry)
    yield from _fee_statements(data.accounts.property_fees)
    yield from _complaints(data.accounts.complaint_handling)
    surveys = data.evaluations.surveys if data.evaluations else []
    yield "surveys", [
        [v.id, v.title, v.run_by, v.period.start, v.period.end, v.anonymous, v.sample, v.responses, v.item_count, v.out_of, v.score]
        for v in surveys
    ]  # fmt: skip
    yield "notices", [
        [n.id, n.date, n.category, n.title, n.posting.start if n.posting else None, n.posting.end if n.posting else None, n.body]
        for n in sorted(data.notices.values(), key=lambda n: (n.date, n.id))
    ]  # fmt: skip


def _estate(view: View) -> list[Any]:
    e = view.data.estate
    fund = e.maintenance_fund
    return [
        view.day, e.name, e.city, e.district, e.street, e.community, e.address, e.built,
        e.households, e.gross_floor_area, "、".join(t.value for t in e.property_types),
        e.management_mode, e.firm.name, e.firm.credit_code,
        e.committee.name if e.committee else None, fund.initial_deposit if fund else None,
        view.fingerprint,
    ]  # fmt: skip


def _services(view: View) -> Iterator[list[Any]]:
    services = view.data.services
    if services is None:
        return
    for key, label in (
        ("cleaning", "保洁"),
        ("security", "保安"),
        ("greening", "保绿"),
        ("repairs", "保修"),
    ):
        s = getattr(services, key)
        for st in s.standards:
            yield [label, s.staffing, s.level, st.id, st.item, st.standard, st.response_time]


def _period(pid: str, period: Period) -> list[Any]:
    return [pid, period.start, period.end]


def _ledgers(
    kind: str, statements: dict[str, Any], entry: Callable[[Any], list[Any]]
) -> Iterator[tuple[str, list[list[Any]]]]:
    ordered = sorted(statements.items(), key=lambda kv: kv[1].period.start)
    totals = []
    lines = []
    for pid, st in ordered:
        income = sum(e.amount for e in st.income)
        spent = sum(e.amount for e in st.expenditure)
        row = [*_period(pid, st.period), st.opening, f"{income:.2f}", f"{spent:.2f}", st.closing]
        totals.append(row + ([st.plan] if isinstance(st, RevenueStatement) else []))
        lines += [[pid, "收入", *entry(e)] for e in st.income]
        lines += [[pid, "支出", *entry(e)] for e in st.expenditure]
    yield f"{kind}_statements", totals
    yield f"{kind}_entries", lines


def _fund_entry(e: Any) -> list[Any]:
    spending = [getattr(e, k, None) for k in ("project", "contractor", "vote", "emergency")]
    return [e.id, e.date, e.category, e.summary, e.amount, *spending, e.transfer]


def _revenue_entry(e: Any) -> list[Any]:
    return [e.id, e.date, e.category, e.summary, e.amount, e.transfer]


def _buildings(view: View) -> Iterator[list[Any]]:
    names = {b.id: b.name for b in view.data.estate.buildings}
    statements: dict[str, FundStatement] = view.data.accounts.maintenance_fund
    for pid, st in sorted(statements.items(), key=lambda kv: kv[1].period.start):
        for b in st.buildings:
            yield [
                pid,
                b.building,
                names.get(b.building, b.building),
                b.opening,
                b.income,
                b.expenditure,
                b.closing,
            ]


def _fee_statements(statements: dict[str, FeeStatement]) -> Iterator[tuple[str, list[list[Any]]]]:
    ordered = sorted(statements.items(), key=lambda kv: kv[1].period.start)
    heads, collection, costs = [], [], []
    for pid, st in ordered:
        t = fee_totals(st)
        commission = st.commission.amount if st.commission else None
        heads.append(
            [
                *_period(pid, st.period),
                st.regime,
                st.basis,
                t["receivable"],
                t["received"],
                t["rate"],
                st.arrears_recovered,
                t["expenditure"],
                commission,
                st.surplus,
            ]
        )
        collection += [
            [pid, c.id, c.label, c.area, c.receivable, c.received, c.rate] for c in st.collection
        ]
        costs += [[pid, "其他收入", e.summary, e.amount, None] for e in st.other_income]
        costs += [[pid, "支出", c.category, c.amount, c.budget] for c in st.expenditure]
    yield "fee_statements", heads
    yield "fee_collection", collection
    yield "fee_costs", costs


def _complaints(statements: dict[str, ComplaintStatement]) -> Iterator[tuple[str, list[list[Any]]]]:
    ordered = sorted(statements.items(), key=lambda kv: kv[1].period.start)
    yield "complaint_statements", [
        [*_period(pid, st.period), st.opening, st.received, st.resolved, st.closing, st.median_days, st.in_time, st.satisfied]
        for pid, st in ordered
    ]  # fmt: skip
    yield (
        "complaint_categories",
        [[pid, c.category, c.received, c.resolved] for pid, st in ordered for c in st.by_category],
    )
