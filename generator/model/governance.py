"""Who governs the estate: governance.yaml (party organisations, public roles, the
committee's elections, reception days) and documents/<id>.md (the owners' three texts).

People are named only where their role is public and they agreed (``public``);
residents who serve (楼道长, 党员先锋岗, volunteers) are never named.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from .base import Base, Count, Date, Id, OpenPeriod, Period, Phone, Text
from .estate import Person


class PartyKind(StrEnum):
    """The kinds of party organisation the seeds describe (红色物业)."""

    FIRM = "物业企业党支部"
    JOINT = "物业治理联合党支部"
    COMMITTEE = "业委会党支部"
    FUNCTIONAL = "功能型党支部"
    COMMUNITY = "社区党组织"
    INDUSTRY = "物业行业党委"
    OTHER = "其他"


class Body(StrEnum):
    """The bodies a joint branch joins (三驾马车 and the community)."""

    COMMUNITY_PARTY = "社区党组织"
    RESIDENTS_COMMITTEE = "居委会"
    OWNERS_COMMITTEE = "业主委员会"
    MANAGEMENT_COMMITTEE = "物业管理委员会"
    FIRM = "物业服务企业"
    LOCAL_UNITS = "驻区单位"
    OTHER = "其他"


class PartyOrg(Base):
    """A party organisation that works in the estate."""

    id: Id = Field(description="编号 / id")
    kind: PartyKind = Field(description="类型，如 物业治理联合党支部 / kind")
    name: Text = Field(description="名称 / name")
    established: Date | None = Field(default=None, description="成立日期 / founded")
    joins: list[Body] = Field(
        default=[],
        description="联合党支部由哪几方组成，如 [居委会, 业主委员会, 物业服务企业] / bodies it joins",
    )
    members: Count | None = Field(default=None, description="党员人数 / party members")
    secretary: Person | None = Field(
        default=None,
        description="书记：姓名和电话默认不公开，本人同意时写 public: true / secretary",
    )
    phone: Phone | None = Field(default=None, description="办公电话（公开）/ office phone")
    meets: Text | None = Field(
        default=None,
        description="巡查和例会制度，如 每日一次巡视，每周二次工作例会 / how often it meets",
    )
    rules: list[Text] = Field(
        default=[], description="运行制度的名称，如 首问接待制度 / its working rules"
    )


class RoleKind(StrEnum):
    """Public roles in the estate; who holds the residents' ones is never published."""

    NEIGHBOUR_SECRETARY = "红邻书记"
    PARTY_ADVISER = "党建指导员"
    QUALITY_DIRECTOR = "义务质量总监"
    GRID_WORKER = "网格员"
    STAIRWELL = "楼道长"
    VANGUARD = "党员先锋岗"
    VOLUNTEER = "志愿者"
    OTHER = "其他"


# roles held by cadres and community workers: their holder may be named, with consent;
# the other roles are held by residents, who are never named
PUBLIC_ROLES = frozenset(
    {
        RoleKind.NEIGHBOUR_SECRETARY,
        RoleKind.PARTY_ADVISER,
        RoleKind.QUALITY_DIRECTOR,
        RoleKind.GRID_WORKER,
    }
)


class Role(Base):
    """A role someone holds in the estate: a 红邻书记, a 楼道长, a 党员先锋岗 …"""

    id: Id = Field(description="编号 / id")
    kind: RoleKind = Field(description="类型，如 楼道长 / kind")
    title: Text | None = Field(
        default=None, description="名称，如 3号楼楼道长、党员先锋岗（环境卫生）/ title"
    )
    buildings: list[Id] = Field(
        default=[], description="负责的楼幢编号（estate.yaml）/ buildings it covers"
    )
    duties: Text | None = Field(default=None, description="职责 / duties")
    party_member: bool = Field(default=False, description="是否由党员担任 / held by a party member")
    since: Date | None = Field(default=None, description="设立或上任日期 / since")
    holder: Person | None = Field(
        default=None,
        description="担任者：默认不公开；楼道长、党员先锋岗、志愿者由居民担任，姓名永不公开 / holder",
    )


class Election(Base):
    """An election (换届选举) of the owners' committee: its candidates, vote and term."""

    id: Id = Field(description="编号 / id")
    date: Date = Field(description="选举日期（业主大会表决截止日）/ election day")
    term: OpenPeriod = Field(description="选出的这一届的任期 / the term elected")
    seats: Count = Field(description="委员名额 / seats")
    candidates_posted: Period | None = Field(
        default=None, description="候选人名单公示期 / posting of the candidates"
    )
    vote: Id | None = Field(
        default=None,
        description="业主大会表决编号（votes.yaml，事项类型 选举更换业委会）/ the owners' vote",
    )
    party_members: Count | None = Field(
        default=None, description="当选委员中的党员人数 / party members elected"
    )
    cross_appointed: Count | None = Field(
        default=None,
        description="社区“两委”成员交叉任职人数 / members who also sit in the community",
    )
    filed: Text | None = Field(default=None, description="备案情况 / filing")
    notice: Id | None = Field(default=None, description="选举结果公告编号（notices/）/ notice")


class Reception(Base):
    """A standing face-to-face reception (市民接待日, “今天我接待”)."""

    id: Id = Field(description="编号 / id")
    name: Text = Field(description="名称，如 市民接待日 / name")
    schedule: Text = Field(description="时间，如 隔周周三 9:00-11:00 / when")
    place: Text | None = Field(default=None, description="地点 / where")
    hosts: list[Text] = Field(
        default=[], description="接待人，写职务，如 社区书记、物业经理 / hosts, by role"
    )
    phone: Phone | None = Field(default=None, description="预约电话（公开）/ phone")


class Governance(Base):
    """governance.yaml: party organisations, public roles, the committee's elections, reception days."""

    party: list[PartyOrg] = Field(default=[], description="党组织 / party organisations")
    roles: list[Role] = Field(
        default=[], description="红邻书记、党建指导员、楼道长、党员先锋岗等 / public roles"
    )
    elections: list[Election] = Field(
        default=[], description="业委会换届选举 / committee elections"
    )
    reception: list[Reception] = Field(
        default=[], description="接待日（面对面接待居民）/ reception days"
    )


class DocumentKind(StrEnum):
    """The owners' three founding texts (管理规约, 议事规则, 业委会工作规则)."""

    COVENANT = "管理规约"
    PROCEDURE = "业主大会议事规则"
    COMMITTEE_RULES = "业主委员会工作规则"
    OTHER = "其他"


class DocumentMeta(Base):
    """The front matter of documents/<id>.md."""

    title: Text = Field(description="标题 / title")
    kind: DocumentKind = Field(description="类别 / kind")
    adopted: Date = Field(description="通过日期 / date adopted")
    vote: Id | None = Field(
        default=None, description="通过它的业主大会表决编号（votes.yaml）/ the owners' vote"
    )
    replaces: Id | None = Field(
        default=None, description="取代的旧版本（documents/ 下的编号）/ the version it replaces"
    )


class Document(DocumentMeta):
    """One of the owners' texts: its front matter, its id (the file name) and its Markdown body."""

    id: Id = Field(description="编号（文件名）/ id, the file name")
    body: str = Field(description="正文（Markdown，不可信输入）/ body, untrusted Markdown")
