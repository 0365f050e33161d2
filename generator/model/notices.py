"""Notices (公告) and releases (期次)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from .base import Base, Date, Id, Period, Prose, Text, Value


class NoticeCategory(StrEnum):
    MAJOR = "重大事项"
    REPAIR = "维修工程"
    RESOLUTION = "会议决议"
    FEES = "收费调整"
    ROUTINE = "日常通知"
    CORRECTION = "更正"
    OTHER = "其他"


class NoticeMeta(Base):
    """The front matter of notices/<id>.md."""

    title: Text = Field(description="标题 / title")
    date: Date = Field(description="发布日期 / date")
    category: NoticeCategory = Field(description="类别 / category")
    posting: Period | None = Field(default=None, description="公示期 / posting period")


class Notice(NoticeMeta):
    """A notice: its front matter, its id (the file name) and its Markdown body."""

    id: Id = Field(description="编号（文件名）/ id, the file name")
    body: str = Field(description="正文（Markdown，不可信输入）/ body, untrusted Markdown")


class Correction(Base):
    """An honest mistake in published data, put right in the open: the entry, old -> new, why."""

    id: Id = Field(description="更正编号 / correction id")
    date: Date = Field(description="更正日期 / date of the correction")
    path: Text = Field(
        description="更正的位置，照抄 check 给出的路径，如 accounts.maintenance_fund.2025-h2.expenditure.mf-2025-004.amount / the place, as check prints it"
    )
    old: Value | None = Field(default=None, description="原值 / the published value")
    new: Value | None = Field(
        default=None,
        description="更正后的值，删除整条时不填 / the corrected value, empty for a removal",
    )
    reason: Prose = Field(description="更正原因 / why")
    notice: Id = Field(description="公告编号（notices/ 下的文件名）/ the notice that announces it")


class Corrections(Base):
    """corrections.yaml: corrections (更正) of published data."""

    corrections: list[Correction] = Field(description="更正 / corrections")


class SignerRole(StrEnum):
    FIRM = "物业服务企业"
    OWNERS_COMMITTEE = "业主委员会"
    MANAGEMENT_COMMITTEE = "物业管理委员会"


class Signer(Base):
    role: SignerRole = Field(description="签章方 / signing party")
    name: Text = Field(description="单位名称 / name of the party")


class PreviousRelease(Base):
    """The release before this one, by its id and content hash: a chain no release can leave."""

    id: Id = Field(description="上一期的编号 / the previous release's id")
    sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$", description="上一期的内容哈希 / its content hash"
    )


class Release(Base):
    """A published snapshot's metadata."""

    id: Id = Field(description="期次编号，如 2025-q2 / release id")
    date: Date = Field(description="发布日期 / release date")
    posting: Period = Field(description="公示期 / posting period")
    signers: list[Signer] = Field(min_length=1, description="签章方 / who signs it")
    note: Prose | None = Field(default=None, description="说明 / note")
    previous: PreviousRelease | None = Field(
        default=None, description="上一期（程序填写）/ the previous release, written by release"
    )
    attachments: dict[str, str] = Field(
        default={},
        description="附件文件的内容哈希（程序填写）/ SHA-256 of each attachment file, written by release",
    )
