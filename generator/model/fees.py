"""The price board: fees.yaml."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from .base import Base, Date, Id, OpenPeriod, Price, Prose, Text


class PricingRegime(StrEnum):
    GUIDED = "政府指导价"
    MARKET = "市场调节价"


class BasisKind(StrEnum):
    PRICE_DOCUMENT = "价格主管部门文件"
    OWNERS_RESOLUTION = "业主大会决议"
    CONTRACT = "合同约定"
    OTHER = "其他"


class Basis(Base):
    """Why the price is what it is."""

    kind: BasisKind = Field(description="依据类型 / kind of basis")
    ref: Text = Field(description="文号、决议或合同条款 / document number, resolution or clause")
    date: Date | None = Field(default=None, description="依据日期 / date of the basis")
    vote: Id | None = Field(
        default=None, description="对应的业主表决编号（votes.yaml）/ id of the owners' vote"
    )


class GuidePrice(Base):
    """A government-guided price: the base rate and the allowed range."""

    base: Price = Field(description="基准价 / base rate")
    lower: Price = Field(description="下浮后最低价 / lowest allowed")
    upper: Price = Field(description="上浮后最高价 / highest allowed")


class PricePeriod(OpenPeriod):
    """One effective period of a fee; a change is a new period, never an overwrite."""

    amount: Price = Field(description="收费标准（按 unit 计）/ amount per unit")
    regime: PricingRegime = Field(description="定价方式：政府指导价 或 市场调节价")
    guide: GuidePrice | None = Field(
        default=None,
        description="政府指导价的基准价和浮动幅度 / base and range when government-guided",
    )
    basis: Basis = Field(description="定价依据 / basis")
    posted: Date | None = Field(
        default=None, description="调价公示日期 / date the change was posted"
    )


class FeeStandard(Base):
    id: Id = Field(description="收费项目编号 / fee id")
    item: Text = Field(description="收费项目，如 物业服务费 / item")
    payer: Text = Field(description="缴费人，如 业主 / who pays")
    applies_to: Text = Field(description="适用对象，如 高层住宅（有电梯）/ what it applies to")
    unit: Text = Field(description="计费单位，如 元/㎡·月 / unit")
    calculation: Prose = Field(
        description="计费方式，如 按产权证建筑面积按月计收 / how it is calculated"
    )
    billed_from: Text | None = Field(default=None, description="起收时间 / billed from")
    periods: list[PricePeriod] = Field(
        min_length=1, description="执行期间，按时间先后排列 / effective periods, oldest first"
    )


class PassThrough(Base):
    """A charge collected on behalf of a utility (代收代缴)."""

    id: Id = Field(description="编号 / id")
    item: Text = Field(description="项目，如 水费 / item")
    collected_for: Text = Field(description="代收单位 / collected for")
    amount: Price | None = Field(default=None, description="单价 / unit price")
    unit: Text | None = Field(default=None, description="单位 / unit")
    basis: Prose | None = Field(default=None, description="依据 / basis")


class ExtraService(Base):
    """A paid service outside the service contract."""

    id: Id = Field(description="编号 / id")
    item: Text = Field(description="服务项目 / service")
    amount: Price = Field(description="收费标准 / price")
    unit: Text = Field(description="单位，如 元/次 / unit")
    description: Prose | None = Field(default=None, description="说明 / description")


class Fees(Base):
    """fees.yaml: fee standards, pass-through charges and paid extra services."""

    standards: list[FeeStandard] = Field(description="收费标准（价目表）/ fee standards")
    pass_through: list[PassThrough] = Field(
        default=[], description="代收代缴费用 / pass-through charges"
    )
    extra_services: list[ExtraService] = Field(
        default=[], description="合同外有偿服务 / paid extra services"
    )
