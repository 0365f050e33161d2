"""site.yaml -> SiteConfig. The model's fields are the one table of settings:
defaults, validation, the JSON Schema and the docs (docs/content.*.md, 3.11) all come from it."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from pydantic import Field

from . import tree
from .content import links_found, parse
from .errors import ContentError, Diagnostic, Location, UsageError
from .i18n import _
from .load import Bounds, Located, link_message, load_file
from .model.base import Base, Folder, Id, Text, Url
from .model.estate import Channel

SITE_FILE = "site.yaml"


class Paper(StrEnum):
    A4 = "A4"
    A3 = "A3"


class Language(StrEnum):
    ZH = "zh-CN"
    EN = "en"


class Comparison(Base):
    """How estates are compared and which outliers are flagged (see generator/peers.py)."""

    min_peers: int = Field(
        default=5,
        ge=1,
        description="至少要有几个可比的小区（不含本小区）才比较 / fewest other estates to compare with",
    )
    fence: Decimal = Field(
        default=Decimal(3),
        gt=0,
        description="四分位围栏的倍数：高于 Q3 + 倍数×四分位距或低于 Q1 − 倍数×四分位距即标出；3 是“极端”值（1.5 标出的太多，街道看不过来）/ the quartile fence's multiple of the interquartile range; 3 marks far-out values",
    )
    fund_share_below: Decimal | None = Field(
        default=None,
        description="维修资金余额低于首期归集额的百分之几即标出；不填按规则配置的续筹线（全国基线 30）/ flag a fund below this percent of its first deposit; empty: the rule profile's top-up line",
    )
    collection_below: Decimal = Field(
        default=Decimal(80),
        description="物业费收缴率低于百分之几即标出 / flag a collection rate below this percent",
    )
    late_days_over: Decimal = Field(
        default=Decimal(30),
        description="报表平均比期限晚几天以上即标出 / flag statements released this many days late on average",
    )
    distributed_months: int = Field(
        default=12,
        ge=1,
        description="公示公共收益满几个月仍从未分配或转入维修资金即标出 / flag revenue never distributed after this many months of statements",
    )


class Limits(Base):
    """How much one file may hold; checked before it is parsed."""

    file_mb: int = Field(
        default=5,
        ge=1,
        description="每个 YAML 或公告文件的最大大小（MB）/ largest YAML or notice file, MB",
    )
    entries: int = Field(
        default=20_000,
        ge=1,
        description="每个文件最多的条目数（列表项和“键: 值”）/ most list items and key-value pairs in one file",
    )
    snapshot_mb: int = Field(
        default=20, ge=1, description="每个期次快照的最大大小（MB）/ largest release snapshot, MB"
    )

    def bounds(self) -> Bounds:
        """The bounds of a YAML or notice file."""
        return Bounds(size=self.file_mb * MB, entries=self.entries)

    def snapshot_bounds(self) -> Bounds:
        """The bounds of a release snapshot (JSON, written by the machine)."""
        return Bounds(size=self.snapshot_mb * MB, entries=None)


MB = 1024 * 1024


class SiteConfig(Base):
    """site.yaml: settings for the whole site."""

    title: Text = Field(description="站点名称 / site title")
    base_url: Url = Field(
        description="站点网址，二维码指向这里 / public address of the site, used in QR codes"
    )
    language: Language = Field(
        default=Language.ZH, description="默认界面语言 / default interface language"
    )
    content_dir: Folder = Field(
        default="content",
        description="内容目录（相对 site.yaml）/ content folder, relative to site.yaml",
    )
    theme: Id = Field(default="default", description="主题名（themes/ 下）/ theme under themes/")
    paper: Paper = Field(
        default=Paper.A4, description="公示单纸张：A4 或 A3 / paper size of the sheets"
    )
    report_error_url: Url | None = Field(
        default=None, description="纠错链接 / link for reporting an error"
    )
    authority: list[Channel] = Field(
        default=[],
        description="主管部门联系方式，每页显示 / supervising authority, shown on every page",
    )
    show_working_copy: bool = Field(
        default=False,
        description="是否把未发布的工作副本作为“当前”显示 / show unpublished data as current",
    )
    rule_profile: Id = Field(default="national", description="规则配置 / rule profile")
    limits: Limits = Field(
        default=Limits(),
        description="文件大小和条目数的上限 / how much one file may hold",
    )
    compare: Comparison = Field(
        default=Comparison(),
        description="小区之间的比较和异常标记 / comparing estates and flagging outliers",
    )
    cluster: str | None = Field(
        default=None,
        pattern=r"^(tcp|tls)://[A-Za-z0-9.\-]+(:[0-9]{1,5})?$",
        description="在 Dask 集群上生成：调度器地址，如 tcp://10.0.0.5:8786（见 docs/cluster.md）/ build on a Dask cluster: its scheduler's address (see docs/cluster.md)",
    )
    preview: bool = Field(
        default=False,
        description="草稿预览：每页顶部标明“草稿预览”，sunshine serve 自动打开 / draft preview: every page is marked as a draft; sunshine serve turns it on",
    )


def find_site(start: Path) -> Path:
    """Return the folder holding site.yaml (``start`` itself)."""
    if not (start / SITE_FILE).is_file():
        raise UsageError(
            _(
                "{start} 里没有 {file}：请在站点目录里运行，或用 -C 目录 指定；还没有站点时，先运行 sunshine init",
                start=start,
                file=SITE_FILE,
            )
        )
    return start


def load_config(site: Path) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """Load and validate site.yaml; return every problem found."""
    located, problems = load_file(site / SITE_FILE, SITE_FILE)
    if problems:
        return None, problems
    config, problems = parse(SiteConfig, located)
    problems += _links(site, located, config)
    if any(d.code == "L008" for d in problems):
        config = None
    problems = [
        Diagnostic("K001", d.location, d.message) if d.code.startswith("S") else d for d in problems
    ]
    if config is not None:
        from .profiles import ProfileError, load_profile

        try:
            load_profile(config.rule_profile, site)
        except ProfileError as exc:
            problems.append(
                Diagnostic("K001", located.where(("rule_profile",)), f"rule_profile：{exc}")
            )
            config = None
    if config is not None and not (site / config.content_dir).is_dir():
        where = located.where(("content_dir",))
        message = _(
            "content_dir：目录“{folder}”不存在：请在 site.yaml 旁边新建这个目录（放各小区的数据），或改成已有目录的名字",
            folder=config.content_dir,
        )
        problems.append(Diagnostic("K001", where, message))
        config = None
    return config, problems


def _links(site: Path, located: Located, config: SiteConfig | None) -> list[Diagnostic]:
    """L008 for each link in the content folder's path, the theme's folder and profiles/:
    nothing is read through them."""
    if config is None:
        return []
    found = []
    for folder, key in (
        (site / config.content_dir, "content_dir"),
        (site / "themes" / config.theme, "theme"),
        (site / "profiles", "rule_profile"),
    ):
        depth = len(folder.relative_to(site).parts)
        link = tree.links_on_the_way(folder, depth)
        if link is not None:
            shown = Path(link).relative_to(site).as_posix()
            found.append(Diagnostic("L008", Location(shown, 1, 1), link_message(True)))
        elif key != "content_dir":  # the content folder's own links: the estates' check
            shown = folder.relative_to(site).as_posix()
            found += links_found(tree.walk(folder), shown)
    return found


def require_config(site: Path) -> SiteConfig:
    """Load site.yaml or raise ContentError with its problems."""
    config, problems = load_config(site)
    if config is None:
        raise ContentError(
            problems
            or [
                Diagnostic(
                    "K001",
                    Location(SITE_FILE, 1, 1),
                    _("site.yaml 是空的：至少要写 title（站点名称）和 base_url（网址）"),
                )
            ]
        )
    return config
