"""The workbook's layout: which sheets it has, their columns, and where each column's value lives.

One table drives the export, the import and the 说明 sheet, so a column
cannot be written one way and read another. Column titles are the import's
contract: they are Chinese in every interface language, and a renamed one
is an error.

A sheet holds one list of the data (or one account's statements), one row
per item. Where an item holds a list of its own (a fee's price periods, a
contract's amendments), each row is one inner item and the outer item's
columns are repeated on every row; rows with the same key are one item.
An account's statements are kept as a ledger: the key column names the
period (期次), the type column (类型) says what a row is — the opening or
closing balance of the period, or one line of income or expenditure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel

from ..model.accounts import (
    AccountingBasis,
    CommissionMethod,
    CostCategory,
    FeeStatement,
    FundStatement,
    RevenueStatement,
    VoteKind,
    Votes,
)
from ..model.contracts import AmountPer, ContractKind, Contracts, Selection, Services
from ..model.estate import Estate, ManagementMode
from ..model.fees import BasisKind, Fees, PricingRegime
from ..model.notices import Corrections

Kind = Literal["text", "id", "ids", "money", "price", "area", "count", "date", "choice", "bool"]
PARENT = ""  # a row type whose values belong to the item itself, not to one of its lists

YES, NO = "是", "否"


def _choices(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(str(member.value) for member in enum)


@dataclass(frozen=True)
class Column:
    """One column: its title, the kind of value, and the field it fills.

    ``path`` is the dotted field inside the row's item (``basis.kind``);
    ``paths`` gives it per row type on a ledger sheet (a type the column has
    no path for leaves the cell empty). ``outer`` marks a column of the
    outer item on a sheet whose rows are its inner items.
    """

    title: str
    kind: Kind
    path: str = ""
    paths: dict[str, str] = field(default_factory=dict)
    outer: bool = False
    choices: tuple[str, ...] = ()
    strict: bool = True  # a drop-down that refuses other values (False: it only suggests)
    note: str = ""

    def path_for(self, row_type: str | None) -> str | None:
        """The field this column fills on a row of a type (None: not used there)."""
        if self.paths:
            return self.paths.get(row_type or "")
        return self.path


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook and the part of the data it holds.

    ``part`` names the file: ``estate``, ``fees``, ``contracts``, ``services``,
    ``votes``, or an account (``maintenance_fund`` …), whose statements are
    one file per period. ``items`` is the list of the file the rows are (for
    an account: the statements by period; for services: the four by name).
    ``inner`` is the list each row is one item of, or, on a ledger, the list
    each row type goes to (``PARENT`` for the period's own values). A sheet
    that does not ``define`` its items adds to those of the sheet before it.
    """

    name: str
    part: str
    model: type[BaseModel]
    columns: tuple[Column, ...]
    items: str = ""
    inner: str | dict[str, str] = ""
    define: bool = True
    named: dict[str, str] = field(default_factory=dict)  # key cell text -> field (services)

    @property
    def key(self) -> Column:
        return self.columns[0]

    @property
    def type_column(self) -> Column | None:
        """The 类型 column of a ledger sheet."""
        return self.columns[1] if isinstance(self.inner, dict) else None

    @property
    def is_account(self) -> bool:
        return self.part in ACCOUNTS

    def column(self, title: str) -> Column:
        return next(c for c in self.columns if c.title == title)


ACCOUNTS = {
    "maintenance_fund": FundStatement,
    "public_revenue": RevenueStatement,
    "property_fees": FeeStatement,
}

_ID_NOTE = "编号：小写字母 a-z、数字和 -，发布后不要再改"
_PERIOD_NOTE = "期次编号，即报表文件名，如 2025-h1（上半年）、2025-q3、2024"


def _ledger(extra: tuple[Column, ...], expenditure_only: tuple[str, ...]) -> tuple[Column, ...]:
    """The columns of a fund or revenue ledger: balances, income and expenditure lines."""
    lines = {"收入": "", "支出": ""}
    expenditure = {"支出": ""}
    kinds = ("期初余额", "收入", "支出", "期末余额")
    return (
        Column("期次", "id", note=_PERIOD_NOTE),
        Column(
            "类型",
            "choice",
            choices=kinds,
            note="期初余额、收入、支出 或 期末余额：每期一行期初余额、一行期末余额，收入和支出每笔一行",
        ),
        Column(
            "日期",
            "date",
            paths={"期初余额": "period.from", "期末余额": "period.to"} | {k: "date" for k in lines},
            note="期初余额行填本期第一天，期末余额行填本期最后一天，收入和支出行填发生日期",
        ),
        Column(
            "编号",
            "id",
            paths={k: "id" for k in lines},
            note="收入、支出行的明细编号，如 mf-2025-001；同一账户各期不重复",
        ),
        Column(
            "类别",
            "text",
            paths={k: "category" for k in lines},
            note="如 归集、利息、维修工程、停车、广告",
        ),
        Column(
            "金额（元）",
            "money",
            paths={"期初余额": "opening", "期末余额": "closing"} | {k: "amount" for k in lines},
            note="元，最多两位小数；收入和支出的金额大于 0",
        ),
        Column("摘要", "text", paths={k: "summary" for k in lines}, note="这笔收支是什么"),
        Column(
            "转账编号",
            "id",
            paths={k: "transfer" for k in lines},
            note="账户之间的转账（如公共收益转入维修资金）：转出和转入两边写同一编号",
        ),
        *(
            Column(c.title, c.kind, paths={k: c.path for k in expenditure}, note=c.note)
            for c in extra
            if c.path in expenditure_only
        ),
    )


_FUND_SPENDING = (
    Column("工程项目", "text", "project", note="支出行：工程项目"),
    Column("施工单位", "text", "contractor", note="支出行：施工单位"),
    Column(
        "分摊楼幢", "ids", "buildings", note="支出行：分摊费用的楼幢编号，多个用顿号隔开，如 b3、b5"
    ),
    Column("分摊方式", "text", "split", note="支出行：费用怎样在业主间分摊"),
    Column("表决编号", "id", "vote", note="支出行：业主表决编号（业主表决表）；应急维修可不填"),
    Column("应急情形", "text", "emergency", note="支出行：未经表决的应急维修，写明情形"),
    Column("验收日期", "date", "accepted", note="支出行：验收日期"),
)

_FEE_LINES = {"应收实收": "collection", "其他收入": "other_income", "支出": "expenditure"}

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "楼栋",
        "estate",
        Estate,
        (
            Column("楼幢编号", "id", "id", note=_ID_NOTE + "，如 b1"),
            Column("名称", "text", "name"),
            Column("类型", "text", "kind"),
            Column("层数", "count", "floors"),
            Column("电梯", "bool", "lift", choices=(YES, NO)),
            Column("户数", "count", "households"),
            Column("建筑面积（㎡）", "area", "floor_area"),
            Column("维修资金首期归集额（元）", "money", "fund_initial_deposit"),
        ),
        items="buildings",
    ),
    Sheet(
        "收费标准",
        "fees",
        Fees,
        (
            Column(
                "收费编号",
                "id",
                "id",
                outer=True,
                note=_ID_NOTE + "；同一收费项目的各执行期间各占一行，编号相同",
            ),
            Column("收费项目", "text", "item", outer=True),
            Column("缴费人", "text", "payer", outer=True),
            Column("适用对象", "text", "applies_to", outer=True),
            Column("计费单位", "text", "unit", outer=True),
            Column("计费方式", "text", "calculation", outer=True),
            Column("起收时间", "text", "billed_from", outer=True),
            Column("起始日期", "date", "from"),
            Column("截止日期", "date", "to", note="执行期间的最后一天；至今有效的不填"),
            Column("收费标准", "price", "amount"),
            Column("定价方式", "choice", "regime", choices=_choices(PricingRegime)),
            Column("基准价", "price", "guide.base", note="政府指导价才填：基准价"),
            Column("最低价", "price", "guide.lower", note="政府指导价才填：下浮后最低价"),
            Column("最高价", "price", "guide.upper", note="政府指导价才填：上浮后最高价"),
            Column("依据类型", "choice", "basis.kind", choices=_choices(BasisKind)),
            Column("依据文号", "text", "basis.ref"),
            Column("依据日期", "date", "basis.date"),
            Column("依据表决编号", "id", "basis.vote"),
            Column("调价公示日期", "date", "posted"),
        ),
        items="standards",
        inner="periods",
    ),
    Sheet(
        "代收代缴",
        "fees",
        Fees,
        (
            Column("编号", "id", "id", note=_ID_NOTE),
            Column("项目", "text", "item"),
            Column("代收单位", "text", "collected_for"),
            Column("单价", "price", "amount"),
            Column("单位", "text", "unit"),
            Column("依据", "text", "basis"),
        ),
        items="pass_through",
    ),
    Sheet(
        "有偿服务",
        "fees",
        Fees,
        (
            Column("编号", "id", "id", note=_ID_NOTE),
            Column("服务项目", "text", "item"),
            Column("收费标准", "price", "amount"),
            Column("单位", "text", "unit"),
            Column("说明", "text", "description"),
        ),
        items="extra_services",
    ),
    Sheet(
        "服务合同",
        "contracts",
        Contracts,
        (
            Column(
                "合同编号",
                "id",
                "id",
                outer=True,
                note=_ID_NOTE + "；有几份补充协议就占几行，编号相同",
            ),
            Column("合同类型", "choice", "kind", outer=True, choices=_choices(ContractKind)),
            Column("合同名称", "text", "title", outer=True),
            Column("甲方", "text", "client", outer=True),
            Column("乙方", "text", "contractor", outer=True),
            Column("乙方统一社会信用代码", "text", "contractor_credit_code", outer=True),
            Column("起始日期", "date", "term.from", outer=True),
            Column(
                "截止日期", "date", "term.to", outer=True, note="合同期限的最后一天；不定期的不填"
            ),
            Column("合同金额（元）", "money", "amount.value", outer=True),
            Column("计价周期", "choice", "amount.per", outer=True, choices=_choices(AmountPer)),
            Column("金额依据", "text", "amount.basis", outer=True),
            Column("选聘方式", "choice", "selection", outer=True, choices=_choices(Selection)),
            Column("表决编号", "id", "vote", outer=True),
            Column("服务范围", "text", "scope", outer=True),
            Column("附件", "text", "attachment", outer=True),
            Column("补充协议编号", "id", "id", note="有补充协议才填；" + _ID_NOTE),
            Column("补充协议签订日期", "date", "date"),
            Column("变更内容", "text", "summary"),
            Column("变更后金额（元）", "money", "amount.value"),
            Column("变更后计价周期", "choice", "amount.per", choices=_choices(AmountPer)),
            Column("变更后金额依据", "text", "amount.basis"),
            Column("变更后到期日", "date", "end"),
            Column("补充协议表决编号", "id", "vote"),
        ),
        items="contracts",
        inner="amendments",
    ),
    Sheet(
        "四保",
        "services",
        Services,
        (
            Column(
                "类别",
                "choice",
                outer=True,
                choices=("保洁", "保安", "保绿", "保修"),
                note="保洁、保安（秩序维护）、保绿 或 保修；每条服务标准一行",
            ),
            Column("在岗人数", "count", "staffing", outer=True),
            Column("服务等级", "text", "level", outer=True),
            Column("服务时间", "text", "hours", outer=True),
            Column("合同编号", "id", "contract", outer=True),
            Column("标准编号", "id", "id", note=_ID_NOTE + "；四类合起来不重复"),
            Column("服务内容", "text", "item"),
            Column("标准和频次", "text", "standard"),
            Column("响应时限", "text", "response_time"),
        ),
        inner="standards",
        named={"保洁": "cleaning", "保安": "security", "保绿": "greening", "保修": "repairs"},
    ),
    Sheet(
        "业主表决",
        "votes",
        Votes,
        (
            Column("表决编号", "id", "id", note=_ID_NOTE + "，如 vote-2025-roof"),
            Column("表决截止日期", "date", "date"),
            Column("表决事项", "text", "matter"),
            Column("事项类型", "choice", "kind", choices=_choices(VoteKind)),
            Column(
                "表决楼幢",
                "ids",
                "buildings",
                note="只由部分楼幢业主表决时，填这些楼幢的编号，用顿号隔开；全体业主表决不填",
            ),
            Column("表决方式", "text", "method"),
            Column("全体业主面积（㎡）", "area", "total.area"),
            Column("全体业主人数", "count", "total.headcount"),
            Column("参与表决面积（㎡）", "area", "participating.area"),
            Column("参与表决人数", "count", "participating.headcount"),
            Column("同意面积（㎡）", "area", "approving.area"),
            Column("同意人数", "count", "approving.headcount"),
            Column("决议公告", "text", "resolution"),
        ),
        items="votes",
    ),
    Sheet(
        "维修资金",
        "maintenance_fund",
        FundStatement,
        _ledger(_FUND_SPENDING, tuple(c.path for c in _FUND_SPENDING)),
        inner={"期初余额": PARENT, "收入": "income", "支出": "expenditure", "期末余额": PARENT},
    ),
    Sheet(
        "维修资金分幢",
        "maintenance_fund",
        FundStatement,
        (
            Column("期次", "id", note=_PERIOD_NOTE + "；须是维修资金表里有的期次"),
            Column("楼幢编号", "id", "building", note="楼栋表里的楼幢编号；每期每幢一行"),
            Column("期初余额（元）", "money", "opening"),
            Column("本期收入（元）", "money", "income"),
            Column("本期支出（元）", "money", "expenditure"),
            Column("期末余额（元）", "money", "closing"),
        ),
        inner="buildings",
        define=False,
    ),
    Sheet(
        "维修资金转账",
        "maintenance_fund",
        FundStatement,
        (
            Column("期次", "id", note=_PERIOD_NOTE + "；须是维修资金表里有的期次"),
            Column("转账编号", "id", "id", note=_ID_NOTE),
            Column("日期", "date", "date"),
            Column("转出楼幢", "id", "from"),
            Column("转入楼幢", "id", "to"),
            Column("金额（元）", "money", "amount"),
            Column("原因和依据", "text", "reason"),
        ),
        inner="transfers",
        define=False,
    ),
    Sheet(
        "公共收益",
        "public_revenue",
        RevenueStatement,
        (
            *_ledger((), ()),
            Column(
                "余额的用途",
                "text",
                paths={"期末余额": "plan"},
                note="期末余额行填写：留存的公共收益归全体业主共有，打算用于什么、由谁决定",
            ),
        ),
        inner={"期初余额": PARENT, "收入": "income", "支出": "expenditure", "期末余额": PARENT},
    ),
    Sheet(
        "物业费收支",
        "property_fees",
        FeeStatement,
        (
            Column("期次", "id", note=_PERIOD_NOTE + "；每期一行，明细填在物业费明细表"),
            Column("起始日期", "date", "period.from"),
            Column("截止日期", "date", "period.to"),
            Column("计费方式", "choice", "regime", choices=_choices(ManagementMode)),
            Column("核算基础", "choice", "basis", choices=_choices(AccountingBasis)),
            Column("上期结转（元）", "money", "opening", note="酬金制填写：上期结转"),
            Column("追缴欠费（元）", "money", "arrears_recovered"),
            Column(
                "酬金计提方式",
                "choice",
                "commission.method",
                choices=_choices(CommissionMethod),
                note="酬金制填写",
            ),
            Column("酬金比例（%）", "price", "commission.rate", note="按比例计提时填写，如 10"),
            Column("本期酬金（元）", "money", "commission.amount", note="酬金制填写"),
            Column("酬金说明", "text", "commission.note"),
            Column("本期结余（元）", "money", "surplus", note="亏损写负数"),
            Column("结转下期（元）", "money", "closing", note="酬金制填写：结转下期"),
        ),
    ),
    Sheet(
        "物业费明细",
        "property_fees",
        FeeStatement,
        (
            Column("期次", "id", note=_PERIOD_NOTE + "；须是物业费收支表里有的期次"),
            Column(
                "类型",
                "choice",
                choices=tuple(_FEE_LINES),
                note="应收实收（每类物业一行）、其他收入（每笔一行）或 支出（每个成本类别一行）",
            ),
            Column(
                "编号",
                "id",
                paths={"应收实收": "id", "其他收入": "id"},
                note="应收实收、其他收入行的编号",
            ),
            Column("日期", "date", paths={"其他收入": "date"}, note="其他收入行的发生日期"),
            Column(
                "项目",
                "text",
                paths={"应收实收": "label", "其他收入": "category", "支出": "category"},
                choices=_choices(CostCategory),
                strict=False,
                note="应收实收行填物业类型（如 高层住宅）；其他收入行填类别；支出行从下拉列表选法定成本类别",
            ),
            Column(
                "计费面积（㎡）", "area", paths={"应收实收": "area"}, note="应收实收行的计费面积"
            ),
            Column(
                "金额（元）",
                "money",
                paths={"应收实收": "receivable", "其他收入": "amount", "支出": "amount"},
                note="应收实收行填应收；其他收入、支出行填金额",
            ),
            Column("实收（元）", "money", paths={"应收实收": "received"}, note="应收实收行的实收"),
            Column("预算（元）", "money", paths={"支出": "budget"}, note="支出行的预算"),
            Column(
                "摘要或说明",
                "text",
                paths={"其他收入": "summary", "支出": "note"},
                note="其他收入行的摘要；支出行的说明",
            ),
            Column(
                "转账编号",
                "id",
                paths={"其他收入": "transfer"},
                note="其他收入行：从别的账户转入时，两边写同一编号",
            ),
        ),
        inner=_FEE_LINES,
        define=False,
    ),
    Sheet(
        "更正",
        "corrections",
        Corrections,
        (
            Column("更正编号", "id", "id", note=_ID_NOTE),
            Column("更正日期", "date", "date"),
            Column(
                "更正的位置",
                "text",
                "path",
                note="照抄 sunshine check 或导入时给出的路径，如 estate.buildings.b3.floor_area",
            ),
            Column("原值", "text", "old", note="已公示的值，照原样写"),
            Column("新值", "text", "new", note="更正后的值；删除整条时不填"),
            Column("原因", "text", "reason"),
            Column("公告编号", "id", "notice", note="宣布这次更正的公告（notices/ 下的文件名）"),
        ),
        items="corrections",
    ),
)

SHEET_NAMES = tuple(s.name for s in SHEETS)
GUIDE = "说明"
# the 说明 sheet's last row: this label, then the exported items' digests (tables.item_digests)
EXPORTED = "导出时各项的校验码（导回时用来发现导出之后在别处做的改动，请不要改动）"
CELL_CHARS = 30_000  # a cell holds 32,767 characters: longer digests go on in the next cells
EXPORT_BYTES = 8  # an export's name: this many random bytes, in hex
