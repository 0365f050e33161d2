"""Service contracts and the four guarantees: contracts.yaml, services.yaml."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from .base import Base, Count, CreditCode, Date, Id, Money, OpenPeriod, Prose, Text


class ContractKind(StrEnum):
    PRELIMINARY = "前期物业服务合同"
    SERVICE = "物业服务合同"
    LIFT = "电梯维保"
    CLEANING = "保洁外包"
    GREENING = "绿化养护"
    SECURITY = "秩序维护"
    FACILITIES = "设施设备维保"
    WORKS = "维修工程"
    OTHER = "其他"


class Selection(StrEnum):
    OPEN_TENDER = "公开招标"
    INVITED_TENDER = "邀请招标"
    NEGOTIATED = "协议选聘"
    RENEWAL = "续聘"
    OTHER = "其他"


class AmountPer(StrEnum):
    YEAR = "年"
    MONTH = "月"
    TERM = "合同期"


class ContractAmount(Base):
    value: Money = Field(description="金额（元）/ amount in yuan")
    per: AmountPer = Field(
        description="计价周期：年、月 或 合同期 / per year, month or the whole term"
    )
    basis: Prose | None = Field(default=None, description="金额依据 / how the amount was set")


class Amendment(Base):
    id: Id = Field(description="补充协议编号 / amendment id")
    date: Date = Field(description="签订日期 / date signed")
    summary: Prose = Field(description="变更内容 / what changed")
    amount: ContractAmount | None = Field(
        default=None, description="变更后的金额 / amount after the change"
    )
    end: Date | None = Field(default=None, description="变更后的到期日 / new end of term")
    vote: Id | None = Field(
        default=None, description="依据的业主表决编号 / id of the owners' vote behind it"
    )


class Contract(Base):
    id: Id = Field(description="合同编号 / contract id")
    kind: ContractKind = Field(description="合同类型 / kind")
    title: Text = Field(description="合同名称 / title")
    client: Text = Field(description="甲方 / client")
    contractor: Text = Field(description="乙方 / contractor")
    contractor_credit_code: CreditCode | None = Field(
        default=None, description="乙方统一社会信用代码 / contractor's credit code"
    )
    term: OpenPeriod = Field(description="合同期限 / term")
    amount: ContractAmount = Field(description="合同金额 / amount")
    selection: Selection = Field(description="选聘方式 / how the contractor was chosen")
    vote: Id | None = Field(
        default=None, description="选聘或续聘的业主表决编号 / id of the owners' vote"
    )
    scope: Prose = Field(description="服务范围摘要 / scope summary")
    attachment: Text | None = Field(
        default=None,
        description="扫描件，相对于小区目录的路径 / scan, path relative to the estate folder",
    )
    amendments: list[Amendment] = Field(default=[], description="补充协议 / amendments")


class Contracts(Base):
    """contracts.yaml: the main service contract and subcontracts."""

    contracts: list[Contract] = Field(description="合同 / contracts")


class ServiceStandard(Base):
    id: Id = Field(description="编号 / id")
    item: Text = Field(description="服务内容，如 楼道清扫 / what")
    standard: Prose = Field(description="标准和频次，如 每日一次 / standard and frequency")
    response_time: Text | None = Field(default=None, description="响应时限 / response time")


class Service(Base):
    staffing: Count = Field(description="在岗人数 / staff on site")
    level: Text | None = Field(default=None, description="服务等级，如 二级 / service level")
    hours: Text | None = Field(default=None, description="服务时间 / hours")
    contract: Id | None = Field(
        default=None, description="提供该服务的合同编号 / contract that delivers it"
    )
    standards: list[ServiceStandard] = Field(min_length=1, description="服务标准 / standards")


class Services(Base):
    """services.yaml: the four guarantees (四保)."""

    cleaning: Service = Field(description="保洁 / cleaning")
    security: Service = Field(description="保安（秩序维护）/ security and order")
    greening: Service = Field(description="保绿 / greening")
    repairs: Service = Field(description="保修 / repairs and upkeep")
