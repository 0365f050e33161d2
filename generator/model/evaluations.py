"""How well the estate is served: evaluations.yaml (owners' surveys, comprehensive
evaluations and performance reviews, the district's 红黑榜) and meetings.yaml
(fee negotiation meetings, hearings, reception days)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from .base import Base, Count, Date, Id, Percent, Period, Score, Text


class Subject(StrEnum):
    """Who is evaluated."""

    FIRM = "物业服务企业"
    OWNERS_COMMITTEE = "业主委员会"
    MANAGEMENT_COMMITTEE = "物业管理委员会"


class SurveyItem(Base):
    id: Id = Field(description="编号 / id")
    item: Text = Field(description="测评事项，如 楼道保洁 / item")
    category: Text | None = Field(default=None, description="类别，如 保洁 / category")
    score: Score = Field(description="得分（与总分同一满分）/ score, on the survey's scale")


class Survey(Base):
    """An owners' satisfaction survey or anonymous evaluation (满意度调查、无记名测评)."""

    id: Id = Field(description="编号 / id")
    title: Text = Field(description="名称 / title")
    subject: Subject = Field(description="评价对象 / who is evaluated")
    run_by: Text = Field(description="组织单位，如 物业治理联合党支部、第三方测评机构 / who ran it")
    period: Period = Field(description="调查期间 / when it ran")
    method: Text | None = Field(
        default=None, description="方式，如 入户问卷、现场无记名测评 / method"
    )
    anonymous: bool = Field(default=False, description="是否无记名 / anonymous")
    sample: Count = Field(description="发放问卷的户数 / households asked")
    responses: Count = Field(description="有效回收的问卷数 / valid responses")
    item_count: Count | None = Field(
        default=None, description="测评事项数（不逐项列出时填写）/ number of items"
    )
    out_of: Score = Field(default=Decimal("100.00"), description="满分，默认 100 / full marks")
    score: Score = Field(description="总得分（满意度）/ overall score")
    items: list[SurveyItem] = Field(default=[], description="各项得分 / scores by item")
    result: Text | None = Field(
        default=None, description="结论和整改安排 / conclusion and what follows"
    )


class ReviewKind(StrEnum):
    COMPREHENSIVE = "综合评价"
    PERFORMANCE = "履职评估"
    INSPECTION = "专项检查"
    OTHER = "其他"


class Outcome(StrEnum):
    """What an evaluation led to."""

    PRAISED = "通报表扬"
    PASSED = "合格"
    RECTIFY = "限期整改"
    ELIMINATED = "末位淘汰"
    OTHER = "其他"


class Review(Base):
    """A comprehensive evaluation of the firm, or a performance review of the committee."""

    id: Id = Field(description="编号 / id")
    kind: ReviewKind = Field(description="类别：综合评价、履职评估、专项检查 / kind")
    subject: Subject = Field(description="评价对象 / who is evaluated")
    period: Period = Field(description="评价的期间，如 2025 年全年 / period evaluated")
    date: Date = Field(description="结果发布日期 / date of the result")
    by: Text = Field(description="评价单位，如 高唐县住房和城乡建设局 / who evaluated")
    methods: list[Text] = Field(
        default=[], description="评价方式，如 业主打分、街道综合评价、自评 / methods"
    )
    owners_share: Percent | None = Field(
        default=None, description="业主打分占总分的比例（%）/ owners' share of the score"
    )
    score: Score | None = Field(default=None, description="得分 / score")
    out_of: Score = Field(default=Decimal("100.00"), description="满分，默认 100 / full marks")
    rank: Count | None = Field(default=None, description="名次 / rank")
    ranked: Count | None = Field(default=None, description="参评总数 / how many were ranked")
    grade: Text | None = Field(default=None, description="等次，如 优秀 / grade")
    outcome: Outcome | None = Field(default=None, description="结果 / outcome")
    note: Text | None = Field(default=None, description="说明 / note")


class Board(StrEnum):
    RED = "红榜"
    BLACK = "黑榜"


class Rating(Base):
    """An entry of the district's 红黑榜: named on the red or the black list, by whom, why."""

    id: Id = Field(description="编号 / id")
    board: Board = Field(description="红榜 或 黑榜 / red or black list")
    date: Date = Field(description="通报日期 / date")
    by: Text = Field(description="发布单位，如 麦积区住房建设服务中心 / issuing body")
    subject: Subject = Field(default=Subject.FIRM, description="对象，默认 物业服务企业 / who")
    basis: Text = Field(description="依据，如 业主投诉率、现场抽查 / on what basis")
    reason: Text | None = Field(default=None, description="通报内容 / what it says")
    document: Text | None = Field(default=None, description="通报文号 / document number")
    rectify_by: Date | None = Field(default=None, description="限期整改的截止日期 / rectify by")
    rectified: Date | None = Field(default=None, description="整改完成日期 / rectified on")


class Evaluations(Base):
    """evaluations.yaml: owners' surveys, evaluations and reviews, the 红黑榜."""

    surveys: list[Survey] = Field(default=[], description="满意度调查和测评 / owners' surveys")
    reviews: list[Review] = Field(
        default=[], description="综合评价、业委会履职评估 / evaluations and reviews"
    )
    ratings: list[Rating] = Field(default=[], description="红黑榜 / red and black lists")


class MeetingKind(StrEnum):
    FEES = "议价会议"
    HEARING = "听证会"
    FORUM = "座谈会"
    JOINT = "联席会议"
    RECEPTION = "接待日"
    COORDINATION = "协调会"
    OTHER = "其他"


class Meeting(Base):
    """A meeting with residents: who came, what it decided, what it led to."""

    id: Id = Field(description="编号 / id")
    kind: MeetingKind = Field(description="类别，如 议价会议、听证会、接待日 / kind")
    date: Date = Field(description="日期 / date")
    title: Text = Field(description="名称或议题 / title")
    convened_by: Text = Field(description="召集单位 / who convened it")
    attendees: list[Text] = Field(
        default=[],
        description="参加方，写单位或身份，如 业主代表 12 人，不写个人姓名 / who took part",
    )
    headcount: Count | None = Field(default=None, description="参加人数 / how many")
    outcome: Text = Field(description="结果 / outcome")
    raised: Count | None = Field(default=None, description="居民反映的问题（件）/ problems raised")
    solved: Count | None = Field(default=None, description="当场解决的问题（件）/ solved there")
    evaluation: Id | None = Field(
        default=None,
        description="会前的服务质量评价：evaluations.yaml 中调查（surveys）或评价（reviews）的编号 / the evaluation it weighed",
    )
    vote: Id | None = Field(
        default=None, description="由此提交的业主表决编号（votes.yaml）/ the vote it led to"
    )
    fee: Id | None = Field(
        default=None, description="由此调整的收费标准编号（fees.yaml）/ the fee it changed"
    )
    notice: Id | None = Field(default=None, description="会议纪要或决议公告编号 / its notice")


class Meetings(Base):
    """meetings.yaml: meetings with residents."""

    meetings: list[Meeting] = Field(description="会议和接待 / meetings")
