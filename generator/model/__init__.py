"""Typed, immutable domain objects; one file of content maps to one model."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .accounts import ComplaintStatement, FeeStatement, FundStatement, RevenueStatement, Votes
from .base import Base, Id
from .contracts import Contracts, Services
from .estate import Estate
from .evaluations import Evaluations, Meetings
from .fees import Fees
from .governance import Document, Governance
from .notices import Corrections, Notice, Release

SNAPSHOT_FORMAT = "sunshine.release/1"


class Accounts(Base):
    """Statements by period id (the file name), per account kind."""

    maintenance_fund: dict[Id, FundStatement] = Field(
        default={}, description="专项维修资金 / maintenance fund"
    )
    public_revenue: dict[Id, RevenueStatement] = Field(
        default={}, description="公共收益 / public revenue"
    )
    property_fees: dict[Id, FeeStatement] = Field(
        default={}, description="物业费收支 / property fees"
    )
    complaint_handling: dict[Id, ComplaintStatement] = Field(
        default={}, description="投诉处理情况 / complaints received and resolved"
    )


class EstateData(Base):
    """Everything an estate discloses, at one moment."""

    estate: Estate
    fees: Fees | None = None
    contracts: Contracts | None = None
    services: Services | None = None
    votes: Votes | None = None
    governance: Governance | None = None
    evaluations: Evaluations | None = None
    meetings: Meetings | None = None
    accounts: Accounts = Accounts()
    notices: dict[Id, Notice] = {}
    documents: dict[Id, Document] = {}
    corrections: Corrections | None = None


class Snapshot(Base):
    """releases/<id>.json: a release's metadata, the frozen data and its content hash."""

    format: Literal["sunshine.release/1"] = Field(description="快照格式版本 / snapshot format")
    release: Release
    data: EstateData
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="内容哈希 / content hash")
