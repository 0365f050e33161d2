"""Notices (公告) and releases (期次)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from .base import Base, Date, Id, Period, Text


class NoticeCategory(StrEnum):
    MAJOR = "重大事项"
    REPAIR = "维修工程"
    RESOLUTION = "会议决议"
    FEES = "收费调整"
    ROUTINE = "日常通知"
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


class SignerRole(StrEnum):
    FIRM = "物业服务企业"
    OWNERS_COMMITTEE = "业主委员会"
    MANAGEMENT_COMMITTEE = "物业管理委员会"


class Signer(Base):
    role: SignerRole = Field(description="签章方 / signing party")
    name: Text = Field(description="单位名称 / name of the party")


class Release(Base):
    """A published snapshot's metadata."""

    id: Id = Field(description="期次编号，如 2025-q2 / release id")
    date: Date = Field(description="发布日期 / release date")
    posting: Period = Field(description="公示期 / posting period")
    signers: list[Signer] = Field(min_length=1, description="签章方 / who signs it")
    note: Text | None = Field(default=None, description="说明 / note")
