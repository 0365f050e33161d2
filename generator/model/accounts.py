"""Owners' votes and the three kinds of account statement.

Each statement is one file, ``accounts/<kind>/<period-id>.yaml``, so a quarterly
update adds files instead of editing long ones.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from .base import (
    Area,
    Base,
    Count,
    Date,
    Days,
    Id,
    Money,
    Period,
    PositiveMoney,
    Prose,
    Rate,
    Text,
)
from .estate import ManagementMode


class VoteKind(StrEnum):
    """The matters owners decide together (《民法典》第二百七十八条), and fee changes."""

    PROCEDURE = "制定修改议事规则"
    RULES = "制定修改管理规约"
    COMMITTEE = "选举更换业委会"
    HIRE_FIRM = "选聘解聘物业"
    FUND_USE = "使用维修资金"
    FUND_RAISE = "筹集维修资金"
    REBUILD = "改建重建"
    COMMON_PARTS = "改变共有部分用途"
    FEES = "调整收费标准"
    OTHER = "其他"


class Tally(Base):
    area: Area = Field(description="专有部分面积（㎡）/ floor area")
    headcount: Count = Field(description="人数 / owners")


class Vote(Base):
    id: Id = Field(description="表决编号 / vote id")
    date: Date = Field(description="表决截止日期 / date the vote closed")
    matter: Prose = Field(description="表决事项 / matter")
    kind: VoteKind = Field(description="事项类型 / kind of matter")
    buildings: list[Id] = Field(
        default=[],
        description="表决范围：参与表决的楼幢编号，不填为全体业主 / buildings whose owners vote, empty: all",
    )
    method: Text | None = Field(default=None, description="表决方式，如 书面征求意见 / method")
    total: Tally = Field(description="全体业主 / all owners")
    participating: Tally = Field(description="参与表决 / owners who took part")
    approving: Tally = Field(description="同意 / owners who approved")
    resolution: Prose | None = Field(default=None, description="决议公告 / resolution")


class Votes(Base):
    """votes.yaml: owners' votes."""

    votes: list[Vote] = Field(description="业主表决 / owners' votes")


class Entry(Base):
    """One line of income or expenditure."""

    id: Id = Field(description="明细编号 / entry id")
    date: Date = Field(description="发生日期 / date")
    category: Text = Field(description="类别 / category")
    amount: PositiveMoney = Field(description="金额（元）/ amount in yuan")
    summary: Prose = Field(description="摘要 / summary")
    transfer: Id | None = Field(
        default=None,
        description="转账编号：账户之间的转账在转出和转入两边写同一编号 / transfer id, the same on both sides",
    )


class FundExpenditure(Entry):
    """Maintenance-fund spending: the project, who did it, who paid, who approved."""

    project: Text = Field(description="工程项目 / project")
    contractor: Text = Field(description="施工单位 / contractor")
    buildings: list[Id] = Field(
        default=[], description="分摊的楼幢编号 / buildings that bear the cost"
    )
    split: Prose = Field(description="费用分摊方式 / how the cost was split among owners")
    vote: Id | None = Field(default=None, description="业主表决编号 / id of the owners' vote")
    emergency: Prose | None = Field(
        default=None, description="应急维修情形（可不经表决）/ emergency, when no vote was needed"
    )
    accepted: Date | None = Field(default=None, description="验收日期 / date accepted")


class BuildingAccount(Base):
    building: Id = Field(description="楼幢编号（estate.yaml）/ building id")
    opening: Money = Field(description="期初余额 / opening balance")
    income: Money = Field(description="本期收入 / income")
    expenditure: Money = Field(description="本期支出 / expenditure")
    closing: Money = Field(description="期末余额 / closing balance")


class BuildingTransfer(Base):
    """Money moved from one building's fund account to another's: one record, both sides."""

    id: Id = Field(description="转账编号 / transfer id")
    date: Date = Field(description="日期 / date")
    source: Id = Field(alias="from", description="转出楼幢编号 / building it leaves")
    target: Id = Field(alias="to", description="转入楼幢编号 / building it goes to")
    amount: PositiveMoney = Field(description="金额（元）/ amount in yuan")
    reason: Prose = Field(description="原因和依据 / why, and on what decision")


class FundStatement(Base):
    """accounts/maintenance-fund/<period>.yaml: the special maintenance fund."""

    period: Period = Field(description="报表期间 / period")
    opening: Money = Field(description="期初余额 / opening balance")
    income: list[Entry] = Field(
        default=[], description="收入：归集、续筹、利息、公共收益转入 / income"
    )
    expenditure: list[FundExpenditure] = Field(default=[], description="支出 / expenditure")
    closing: Money = Field(description="期末余额 / closing balance")
    buildings: list[BuildingAccount] = Field(
        default=[], description="分幢账户 / per-building accounts"
    )
    transfers: list[BuildingTransfer] = Field(
        default=[],
        description="楼幢之间的转账，已计入两幢的收入和支出 / transfers between buildings' accounts",
    )


class RevenueStatement(Base):
    """accounts/public-revenue/<period>.yaml: income from common parts and where it went."""

    period: Period = Field(description="报表期间 / period")
    opening: Money = Field(description="期初余额 / opening balance")
    income: list[Entry] = Field(
        default=[], description="收入：广告、停车、场地租赁、快递柜、充电桩 / income"
    )
    expenditure: list[Entry] = Field(
        default=[],
        description="支出和去向：成本、税费、转入维修资金、抵扣物业费 / costs and where the net went",
    )
    closing: Money = Field(description="期末余额（留存）/ closing balance, retained")
    plan: Text | None = Field(
        default=None,
        description="留存余额的用途安排，如 年末经业主大会决定转入维修资金 / what the retained balance is for",
    )


class CostCategory(StrEnum):
    STAFF = "人员费用"
    SHARED_PARTS = "共用部位共用设施设备运行维护费"
    CLEANING = "清洁卫生费"
    GREENING = "绿化养护费"
    SECURITY = "秩序维护费"
    OFFICE = "办公费"
    DEPRECIATION = "固定资产折旧"
    INSURANCE = "共用部位共用设施设备及公众责任保险费"
    APPROVED_OTHER = "经业主同意的其他费用"
    TAX = "税费"


class AccountingBasis(StrEnum):
    ACCRUAL = "权责发生制"
    CASH = "收付实现制"


class CommissionMethod(StrEnum):
    FIXED = "固定金额"
    PERCENT = "按比例"


class Collection(Base):
    """Billing and collection for one class of property."""

    id: Id = Field(description="编号 / id")
    label: Text = Field(description="物业类型，如 高层住宅 / class of property")
    area: Area = Field(description="计费面积（㎡）/ area billed")
    receivable: Money = Field(description="应收（元）/ receivable")
    received: Money = Field(description="实收（元）/ received")

    @property
    def rate(self) -> Decimal | None:
        """Collection rate (收缴率) in percent, two places."""
        if not self.receivable:
            return None
        return (self.received * 100 / self.receivable).quantize(Decimal("0.01"))


class Cost(Base):
    category: CostCategory = Field(description="法定成本类别 / statutory cost category")
    amount: Money = Field(description="金额（元）/ amount")
    budget: Money | None = Field(default=None, description="预算（元）/ budget")
    note: Prose | None = Field(default=None, description="说明 / note")


class Commission(Base):
    method: CommissionMethod = Field(description="酬金计提方式 / how the commission is set")
    rate: Rate | None = Field(default=None, description="比例（%），按比例计提时填写 / percent")
    amount: Money = Field(description="本期酬金（元）/ commission this period")
    note: Prose | None = Field(
        default=None, description="计提基数等说明 / what the percentage is of, and other notes"
    )


class FeeStatement(Base):
    """accounts/property-fees/<period>.yaml: property-fee income and expenditure."""

    period: Period = Field(description="报表期间 / period")
    regime: ManagementMode = Field(
        description="包干制 或 酬金制，须与小区一致 / must match the estate"
    )
    basis: AccountingBasis = Field(description="权责发生制 或 收付实现制 / accrual or cash basis")
    collection: list[Collection] = Field(
        min_length=1, description="应收实收 / billing and collection by class"
    )
    arrears_recovered: Money = Field(
        default=Decimal("0.00"),
        description="追缴以前年度欠费（元）/ arrears recovered from earlier years",
    )
    other_income: list[Entry] = Field(default=[], description="其他收入 / other income")
    expenditure: list[Cost] = Field(
        min_length=1, description="支出（按法定成本类别）/ expenditure by category"
    )
    commission: Commission | None = Field(
        default=None, description="酬金（酬金制）/ commission, under 酬金制"
    )
    surplus: Money = Field(description="本期结余（亏损为负数）/ surplus, negative for a deficit")
    opening: Money | None = Field(
        default=None, description="上期结转（酬金制）/ balance brought forward"
    )
    closing: Money | None = Field(
        default=None, description="结转下期（酬金制）/ balance carried forward"
    )


class ComplaintCategory(Base):
    category: Text = Field(description="类别，如 维修、环境卫生、停车 / category")
    received: Count = Field(description="本期受理（件）/ received")
    resolved: Count = Field(description="本期办结（件）/ resolved")


class ComplaintStatement(Base):
    """accounts/complaint-handling/<period>.yaml: complaints received and resolved in a period.

    Kept as the accounts are: what was still open at the start, plus what
    came in, less what was resolved, is what is still open at the end.
    """

    period: Period = Field(description="统计期间 / period")
    opening: Count = Field(description="上期未办结，转入本期（件）/ still open at the start")
    received: Count = Field(description="本期受理（件）/ received")
    resolved: Count = Field(description="本期办结（件）/ resolved")
    closing: Count = Field(description="期末仍在办理（件）/ still open at the end")
    median_days: Days | None = Field(
        default=None, description="办结用时的中位数（天）/ median days to resolve"
    )
    in_time: Count | None = Field(
        default=None, description="在承诺时限内办结（件）/ resolved within the promised time"
    )
    satisfied: Count | None = Field(
        default=None, description="回访满意（件）/ residents satisfied when asked"
    )
    by_category: list[ComplaintCategory] = Field(default=[], description="按类别 / by category")
    note: Text | None = Field(default=None, description="说明 / note")
