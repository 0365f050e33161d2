"""The estate and its parties: estate.yaml."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from .base import (
    Area,
    Base,
    Count,
    CreditCode,
    Date,
    Id,
    Money,
    OpenPeriod,
    Period,
    Phone,
    Prose,
    Text,
    Url,
)


class ManagementMode(StrEnum):
    LUMP_SUM = "包干制"
    COMMISSION = "酬金制"


class CommitteeKind(StrEnum):
    OWNERS = "业主委员会"
    MANAGEMENT = "物业管理委员会"


class PropertyType(StrEnum):
    RESIDENTIAL = "住宅"
    SHOP = "商铺"
    PARKING = "车位"
    OFFICE = "办公"
    OTHER = "其他"


class Person(Base):
    """A named person; withheld from every output unless ``public`` is true."""

    name: Text = Field(description="姓名 / name")
    role: Text | None = Field(default=None, description="职务，如 主任 / role")
    phone: Phone | None = Field(default=None, description="电话 / phone")
    public: bool = Field(
        default=False,
        description="是否公开姓名和电话（默认不公开）/ publish name and phone (default: withheld)",
    )


class Contact(Base):
    """A business contact of a party, always published."""

    name: Text = Field(description="姓名 / name")
    phone: Phone = Field(description="电话 / phone")


class Firm(Base):
    name: Text = Field(description="物业服务企业全称 / firm's registered name")
    credit_code: CreditCode = Field(
        description="统一社会信用代码（18 位）/ unified social credit code"
    )
    state_owned: bool = Field(default=False, description="是否国有企业 / state-owned")
    address: Text | None = Field(default=None, description="企业地址 / address")
    manager: Contact = Field(description="项目经理 / project manager")
    hotline: Phone = Field(description="物业服务热线（24 小时）/ service hotline")
    office: Text | None = Field(
        default=None, description="物业服务中心地点和办公时间 / site office and hours"
    )


class Committee(Base):
    kind: CommitteeKind = Field(description="业主委员会 或 物业管理委员会")
    name: Text = Field(description="名称 / name")
    term: OpenPeriod = Field(description="任期 / term of office")
    filed: Prose | None = Field(default=None, description="备案情况，如 备案机关和日期 / filing")
    phone: Phone | None = Field(default=None, description="联系电话（公开）/ public contact phone")
    members: list[Person] = Field(
        default=[], description="成员；个人信息默认不公开 / members, withheld unless public"
    )


class Channel(Base):
    """A complaint or enquiry channel."""

    name: Text = Field(description="渠道名称，如 街道物业办、12345 市民服务热线 / name")
    phone: Phone | None = Field(default=None, description="电话 / phone")
    url: Url | None = Field(default=None, description="网址（http/https/mailto/tel）/ link")
    address: Text | None = Field(default=None, description="地址 / address")
    hours: Text | None = Field(default=None, description="受理时间 / hours")


class Building(Base):
    """A building, the unit the maintenance fund is accounted by (按幢立账)."""

    id: Id = Field(description="楼幢编号，如 b1 / building id")
    name: Text = Field(description="名称，如 1号楼 / name")
    kind: Text | None = Field(default=None, description="类型，如 多层、高层 / kind")
    floors: Count | None = Field(default=None, description="层数 / floors")
    lift: bool | None = Field(default=None, description="是否有电梯 / has a lift")
    households: Count | None = Field(default=None, description="户数 / households")
    floor_area: Area | None = Field(default=None, description="建筑面积（㎡）/ floor area")
    fund_initial_deposit: Money | None = Field(
        default=None, description="维修资金首期归集额（元）/ initial fund deposit"
    )


class FundInfo(Base):
    custodian: Text = Field(description="维修资金管理机构 / custodian of the fund")
    initial_deposit: Money = Field(description="首期归集总额（元）/ initial deposit in yuan")
    bank: Text | None = Field(default=None, description="专户银行 / bank")


class Account(StrEnum):
    """The accounts whose statements are disclosed period by period."""

    FUND = "专项维修资金"
    REVENUE = "公共收益"
    PROPERTY_FEES = "物业费收支"


ACCOUNT_KEYS = {
    Account.FUND: "maintenance_fund",
    Account.REVENUE: "public_revenue",
    Account.PROPERTY_FEES: "property_fees",
}


class EarlierDisclosure(Base):
    """A statement posted before the estate used this system, on paper or elsewhere."""

    account: Account = Field(description="账户：专项维修资金、公共收益 或 物业费收支 / account")
    period: Period = Field(description="报表期间 / period the statement covered")
    posted: Date = Field(description="公示日期 / date it was posted")
    where: Text = Field(description="公示地点或方式，如 小区公示栏 / where it was posted")


class Estate(Base):
    """estate.yaml: the estate, its parties and its channels."""

    id: Id = Field(description="小区编号（与目录名相同）/ estate id, equal to its folder name")
    name: Text = Field(description="小区名称 / name")
    city: Text = Field(description="城市 / city")
    district: Text = Field(description="区 / district")
    street: Text = Field(description="街道（镇）/ street office")
    community: Text = Field(description="社区（居委会）/ community")
    address: Text = Field(description="地址 / address")
    built: Count | None = Field(default=None, description="建成年份 / year built")
    households: Count = Field(description="总户数 / households")
    gross_floor_area: Area = Field(description="总建筑面积（㎡）/ gross floor area")
    property_types: list[PropertyType] = Field(
        min_length=1, description="物业类型 / property types present"
    )
    buildings: list[Building] = Field(default=[], description="楼幢 / buildings")
    management_mode: ManagementMode = Field(description="物业服务收费方式：包干制 或 酬金制")
    firm: Firm = Field(description="物业服务企业 / property firm")
    committee: Committee | None = Field(
        default=None, description="业主委员会或物业管理委员会 / owners' committee or its substitute"
    )
    maintenance_fund: FundInfo | None = Field(
        default=None, description="专项维修资金 / special maintenance fund"
    )
    complaints: list[Channel] = Field(
        min_length=1, description="投诉和监督渠道 / complaint channels"
    )
    rule_profile: Id | None = Field(
        default=None,
        description="本小区适用的规则配置，不填则用 site.yaml 的 / rule profile, overriding site.yaml's",
    )
    earlier_disclosures: list[EarlierDisclosure] = Field(
        default=[],
        description="使用本系统之前已公示的报表，首期按此判断是否逾期 / statements disclosed before this system",
    )
