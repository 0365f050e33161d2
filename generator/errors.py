"""Locations, diagnostics and the one table of diagnostic codes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from . import chars
from .i18n import _


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"  # information only; never fails a command, not even under --strict


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line and column count from 1."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    title: str
    title_zh: str


# The stable diagnostic codes. A code never changes meaning once published;
# docs/diagnostics.md is checked against this table by the tests.
CODES: dict[str, Code] = {
    c.code: c
    for c in [
        Code("L001", Severity.ERROR, "YAML syntax error", "YAML 语法错误"),
        Code("L002", Severity.ERROR, "duplicate key", "重复的键"),
        Code("L003", Severity.ERROR, "file cannot be read as UTF-8 text", "文件无法按 UTF-8 读取"),
        Code(
            "L004",
            Severity.ERROR,
            "YAML feature not allowed (alias, merge key, tag, complex key)",
            "不允许的 YAML 写法（别名、合并键、标签、复杂键）",
        ),
        Code(
            "L005",
            Severity.ERROR,
            "notice or document has no front matter",
            "公告或制度文件缺少文件头（front matter）",
        ),
        Code(
            "L006",
            Severity.ERROR,
            "unexpected file in the estate folder",
            "小区目录中有无法识别的文件",
        ),
        Code(
            "L007", Severity.ERROR, "release snapshot is not valid JSON", "期次快照不是有效的 JSON"
        ),
        Code(
            "L008",
            Severity.ERROR,
            "symbolic link in the content, theme or profiles folder (not read)",
            "内容、主题或规则配置目录里有符号链接（不读取）",
        ),
        Code(
            "L009",
            Severity.ERROR,
            "file over a size, entry or nesting limit (not read)",
            "文件超过大小、条目数或嵌套层数的上限（不读取）",
        ),
        Code(
            "T001",
            Severity.ERROR,
            "control character, non-character or lone surrogate in text",
            "文字里有控制字符、非字符或孤立代理码位",
        ),
        Code(
            "T002",
            Severity.ERROR,
            "bidi control anywhere, or invisible character in a name, id, amount or date",
            "文字里有改变方向的控制字符，或名称、编号、金额、日期里有看不见的字符",
        ),
        Code("T003", Severity.ERROR, "private-use character in text", "文字里有私用区字符"),
        Code(
            "T004",
            Severity.ERROR,
            "character no installed font can draw",
            "本机没有任何字体能显示的字符",
        ),
        Code(
            "T005",
            Severity.NOTE,
            "glyph check skipped (no Chinese font on this machine)",
            "未核对字形（本机没有中文字体）",
        ),
        Code(
            "B001",
            Severity.ERROR,
            "the estate could not be built; its last output is kept",
            "这个小区无法生成，保留上次生成的内容",
        ),
        Code("S001", Severity.ERROR, "required field missing", "缺少必填字段"),
        Code("S002", Severity.ERROR, "unknown field", "未知字段"),
        Code("S003", Severity.ERROR, "wrong type or invalid value", "类型或取值错误"),
        Code(
            "S004",
            Severity.ERROR,
            "invalid amount (not an exact decimal, or too many decimal places)",
            "金额无效（不是精确小数或小数位过多）",
        ),
        Code("S005", Severity.ERROR, "invalid date", "日期无效"),
        Code("I001", Severity.ERROR, "id is not URL-safe", "编号不是 URL 安全的"),
        Code("I002", Severity.ERROR, "duplicate id", "编号重复"),
        Code("I003", Severity.ERROR, "reference to an unknown id", "引用了不存在的编号"),
        Code(
            "I004",
            Severity.ERROR,
            "file or folder name does not match the id inside",
            "文件名或目录名与其中的编号不一致",
        ),
        Code(
            "I005",
            Severity.ERROR,
            "path leaves the content folder or names a missing file",
            "路径超出内容目录或文件不存在",
        ),
        Code(
            "C001", Severity.ERROR, "unified social credit code is invalid", "统一社会信用代码无效"
        ),
        Code("D001", Severity.ERROR, "period ends before it starts", "期间的结束日期早于开始日期"),
        Code(
            "D002",
            Severity.ERROR,
            "statement periods of one account overlap",
            "同一账户的报表期间重叠",
        ),
        Code(
            "D003",
            Severity.WARNING,
            "gap between consecutive statement periods",
            "相邻报表期间之间有空档",
        ),
        Code(
            "D004",
            Severity.ERROR,
            "entry dated outside its statement period",
            "明细日期不在报表期间内",
        ),
        Code(
            "D005",
            Severity.ERROR,
            "dated after the release that publishes it",
            "日期晚于发布这一期的日期",
        ),
        Code(
            "A001",
            Severity.ERROR,
            "statement does not balance (opening + income - expenditure != closing)",
            "报表不平（期初 + 收入 − 支出 ≠ 期末）",
        ),
        Code(
            "A002",
            Severity.ERROR,
            "building accounts do not add up to the estate",
            "分幢账户合计与小区总账不符",
        ),
        Code(
            "A003",
            Severity.ERROR,
            "opening balance differs from the previous period's closing",
            "期初余额与上期期末余额不符",
        ),
        Code(
            "A004",
            Severity.ERROR,
            "stated total differs from the sum of its lines",
            "合计数与明细之和不符",
        ),
        Code("A005", Severity.ERROR, "received exceeds receivable", "实收大于应收"),
        Code(
            "A007",
            Severity.ERROR,
            "transfer between accounts recorded on one side only",
            "账户之间的转账只记了一边",
        ),
        Code(
            "A008",
            Severity.ERROR,
            "the two sides of a transfer differ in amount or date",
            "转账两边的金额或日期不一致",
        ),
        Code(
            "A009",
            Severity.ERROR,
            "building accounts do not match the buildings that bear each spending",
            "分幢账户与各笔支出的分摊楼幢不符",
        ),
        Code(
            "A006",
            Severity.ERROR,
            "buildings' initial fund deposits do not add up to the estate's",
            "各楼幢维修资金首期归集额之和与小区总额不符",
        ),
        Code("F001", Severity.ERROR, "fee periods overlap", "收费标准的执行期间重叠"),
        Code(
            "F002",
            Severity.ERROR,
            "government-guided price outside its allowed range",
            "政府指导价超出浮动幅度",
        ),
        Code(
            "F003",
            Severity.ERROR,
            "pricing details do not fit the pricing regime",
            "定价信息与定价方式不符",
        ),
        Code(
            "V001",
            Severity.ERROR,
            "impossible vote counts (approving > participating > total)",
            "表决数据不可能成立（同意 > 参与 > 总数）",
        ),
        Code(
            "V002",
            Severity.WARNING,
            "retired: fund spending without a vote or emergency is H005",
            "已停用：维修资金支出没有表决也未注明应急见 H005",
        ),
        Code(
            "V003",
            Severity.ERROR,
            "vote's electorate larger than the owners it covers",
            "表决的全体业主总数大于所涉楼幢（小区）的面积或户数",
        ),
        Code(
            "V004",
            Severity.WARNING,
            "vote's electorate much smaller than the floor area it covers",
            "表决的全体业主面积明显小于所涉楼幢（小区）的建筑面积",
        ),
        Code(
            "V005",
            Severity.ERROR,
            "fund spending borne by buildings whose owners did not vote",
            "维修资金支出由未参加表决的楼幢分摊",
        ),
        Code(
            "V006",
            Severity.ERROR,
            "fund spending rests on a vote about another matter",
            "维修资金支出引用的表决不是使用维修资金的表决",
        ),
        Code(
            "V007",
            Severity.ERROR,
            "fund spending dated before the vote that approves it",
            "维修资金支出早于批准它的表决",
        ),
        Code(
            "N001",
            Severity.ERROR,
            "notice or document front matter is invalid",
            "公告或制度文件的文件头无效",
        ),
        Code(
            "N002",
            Severity.WARNING,
            "notice or document has an empty body",
            "公告或制度文件正文为空",
        ),
        Code(
            "M001",
            Severity.ERROR,
            "statement regime differs from the estate's management mode",
            "报表的计费方式与小区的物业服务模式不符",
        ),
        Code(
            "N003",
            Severity.ERROR,
            "correction record not announced by a correction notice, or dated before what it corrects",
            "更正记录没有对应的更正公告，或日期早于被更正的内容",
        ),
        Code(
            "Q001",
            Severity.ERROR,
            "a count larger than the whole it is part of (responses > sample, solved > raised, rank > ranked …)",
            "部分大于整体（回收多于发放、解决多于反映、名次大于参评总数等）",
        ),
        Code(
            "E001",
            Severity.ERROR,
            "a score above full marks, or an overall score outside the range of its items",
            "得分超过满分，或总分不在各项得分之间",
        ),
        Code(
            "E002",
            Severity.ERROR,
            "a survey's item count differs from the items it lists",
            "测评事项数与列出的事项不符",
        ),
        Code(
            "G001",
            Severity.ERROR,
            "a resident's role (楼道长, 党员先锋岗, volunteer) marked public",
            "居民担任的职务（楼道长、党员先锋岗、志愿者）被标为公开",
        ),
        Code(
            "G002",
            Severity.ERROR,
            "a personal mobile number marked public",
            "个人手机号码被标为公开",
        ),
        Code(
            "G003",
            Severity.ERROR,
            "a joint party branch names fewer than two bodies it joins",
            "联合党支部没有写明联合的各方",
        ),
        Code(
            "G004",
            Severity.ERROR,
            "the committee's term differs from its latest election",
            "业委会任期与最近一次选举不一致",
        ),
        Code(
            "G005",
            Severity.ERROR,
            "a document or election rests on a vote of another kind, or one that closed after it",
            "制度文件或选举引用的表决事项不符，或表决晚于它",
        ),
        Code(
            "G006",
            Severity.ERROR,
            "candidates posted on or after the election day",
            "候选人名单在选举当天或之后才公示",
        ),
        Code(
            "J001",
            Severity.ERROR,
            "what a meeting led to is dated before the meeting",
            "会议促成的表决或调价早于会议",
        ),
        Code(
            "J002",
            Severity.WARNING,
            "a fee negotiation meeting changed the price without weighing the service first (先质后价)",
            "议价会议调整了收费，但会前没有服务质量评价（先质后价）",
        ),
        Code(
            "R001",
            Severity.ERROR,
            "release snapshot does not match its content hash",
            "期次快照与其内容哈希不符",
        ),
        Code("R002", Severity.ERROR, "release snapshot is invalid", "期次快照无效"),
        Code(
            "H001",
            Severity.ERROR,
            "history rewritten: a published account line or total changed or vanished",
            "篡改历史：已公示的账目明细或合计被修改或删除",
        ),
        Code(
            "H002",
            Severity.ERROR,
            "retired: an opening that differs from the previous closing is A003",
            "已停用：期初与上期期末不符见 A003",
        ),
        Code(
            "H003", Severity.WARNING, "fee raised without a new basis", "收费标准上调但没有新的依据"
        ),
        Code(
            "H004",
            Severity.ERROR,
            "contract amount or term changed without an amendment",
            "合同金额或期限变更但没有补充协议",
        ),
        Code(
            "H005",
            Severity.ERROR,
            "maintenance-fund spending without a recorded owners' vote",
            "维修资金支出没有业主表决记录",
        ),
        Code(
            "H006",
            Severity.WARNING,
            "collection rate fell by more than the threshold",
            "物业费收缴率下降超过阈值",
        ),
        Code(
            "H007",
            Severity.WARNING,
            "maintenance-fund balance fell by more than the threshold",
            "维修资金余额下降超过阈值",
        ),
        Code(
            "H008",
            Severity.ERROR,
            "a published fact changed or removed without a correction",
            "已公示的内容被修改或删除，且没有更正记录",
        ),
        Code(
            "H009",
            Severity.WARNING,
            "dated before a release that did not show it (backdated)",
            "日期早于上一期发布日，但上一期并没有公示（疑似倒签日期）",
        ),
        Code(
            "H010",
            Severity.WARNING,
            "published announcement, price without periods or rule profile changed in place",
            "已公示的预告调价、没有执行期间的价格或规则配置被直接修改",
        ),
        Code(
            "H011",
            Severity.WARNING,
            "correction record states no change of this release",
            "更正记录与本期的任何改动都对不上",
        ),
        Code(
            "P001",
            Severity.WARNING,
            "a section the rule profile requires is missing",
            "缺少规则要求公示的内容",
        ),
        Code(
            "P002",
            Severity.WARNING,
            "a statement the rule profile requires is late",
            "规则要求的报表逾期未公示",
        ),
        Code(
            "P003",
            Severity.WARNING,
            "posting period shorter than the rule profile requires",
            "公示期短于规则要求",
        ),
        Code(
            "P004",
            Severity.WARNING,
            "fee change posted with less notice than required",
            "调价公示提前时间不足",
        ),
        Code(
            "P005",
            Severity.ERROR,
            "vote below the threshold in force on its date",
            "表决未达到表决日适用的法定比例",
        ),
        Code(
            "P006",
            Severity.WARNING,
            "maintenance-fund balance below the top-up trigger",
            "维修资金余额低于续筹标准",
        ),
        Code(
            "P007",
            Severity.ERROR,
            "earlier disclosure recorded as posted after the estate's first release",
            "“以前已公示”的记录日期晚于本系统发布的第一期",
        ),
        Code(
            "R003",
            Severity.ERROR,
            "release snapshot modified after the commit that added it",
            "期次快照在提交后被修改",
        ),
        Code(
            "R004",
            Severity.NOTE,
            "history check skipped (no git history here)",
            "未做提交历史核对（无 git 历史）",
        ),
        Code(
            "R005",
            Severity.ERROR,
            "a release names a previous release that is missing or different",
            "期次记载的上一期快照缺失或与之不符",
        ),
        Code(
            "R006",
            Severity.ERROR,
            "a release was committed after a release of a later date (backdated)",
            "期次晚于日期更晚的期次才提交（事后补发）",
        ),
        Code(
            "R007",
            Severity.ERROR,
            "a release the output folder published is not its snapshot any more",
            "输出目录里已发布的期次与现在的快照不同或快照不见了",
        ),
        Code("K001", Severity.ERROR, "site configuration is invalid", "站点配置无效"),
        Code("W001", Severity.ERROR, "workbook lacks a sheet", "工作簿缺少工作表"),
        Code(
            "W002",
            Severity.ERROR,
            "sheet titles differ from the export (renamed, missing, unknown or merged)",
            "列标题与导出时不同（改名、缺少、多出或合并）",
        ),
        Code("W003", Severity.ERROR, "formula error in a cell", "单元格公式出错"),
        Code(
            "W004",
            Severity.NOTE,
            "formula cells read by the value saved with them",
            "公式单元格按保存的计算结果读取",
        ),
        Code(
            "W005",
            Severity.ERROR,
            "a published period changed in the workbook",
            "工作簿修改了已发布的期次",
        ),
        Code("W006", Severity.ERROR, "file cannot be read as a workbook", "文件无法作为工作簿读取"),
        Code(
            "W007",
            Severity.ERROR,
            "rows of one item disagree, or a period has two rows",
            "同一项目的各行不一致，或同一期次有两行",
        ),
        Code(
            "W008",
            Severity.ERROR,
            "row without its period, or for a period its main sheet lacks",
            "行缺少期次，或期次不在主表中",
        ),
        Code(
            "W009",
            Severity.ERROR,
            "row type unknown, or a value in a column its type does not use",
            "类型不认识，或填写了这一类型不用的列",
        ),
        Code("W010", Severity.NOTE, "CSV read as GBK text", "CSV 按 GBK 编码读取"),
        Code(
            "W011",
            Severity.WARNING,
            "a sheet the import does not read holds data: not imported",
            "工作簿里有不是导出的工作表，其中的内容没有导入",
        ),
        Code(
            "W012",
            Severity.ERROR,
            "merged cells below the titles: all but the first read empty",
            "标题行以下有合并的单元格：除左上角外都读作空白",
        ),
        Code(
            "W013",
            Severity.ERROR,
            "an item changed elsewhere since the workbook was exported would be overwritten",
            "工作簿导出之后，某一项在别处被改过，导回会把那次改动冲掉",
        ),
    ]
}


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the content, at a place, with a stable code."""

    code: str
    location: Location
    message: str
    summary_zh: str = ""  # for residents' pages: the finding in one Chinese sentence

    @property
    def severity(self) -> Severity:
        return CODES[self.code].severity

    def format(self, strict: bool = False) -> str:
        """One line; a control or bidi character from the content is shown as <U+XXXX>, so
        that it can neither drive the terminal nor reorder the line."""
        severity = Severity.ERROR if self.fails(strict) else self.severity
        line = f"{self.location}: {self.code} {severity_word(severity)}: {self.message}"
        return chars.shown(line)

    @property
    def historical(self) -> bool:
        """Located in a published release's snapshot: history, which no edit can change."""
        return "/releases/" in self.location.file and self.location.file.endswith(".json")

    def fails(self, strict: bool = False) -> bool:
        """True for errors, and under --strict for warnings about what can still change.

        A warning located in a published snapshot is reported, but fails
        nothing: it is history, and no edit can put it right. Notes never fail.
        """
        warned = strict and self.severity is Severity.WARNING and not self.historical
        return self.severity is Severity.ERROR or warned

    def as_dict(self) -> dict[str, object]:
        return {
            "file": chars.shown(self.location.file),
            "line": self.location.line,
            "column": self.location.column,
            "code": self.code,
            "severity": str(self.severity),
            "message": chars.shown(self.message),
        }

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.code, self.message)


def severity_word(severity: Severity) -> str:
    """错误, 警告 or 提示, in the command line's language."""
    words = {Severity.ERROR: _("错误"), Severity.WARNING: _("警告"), Severity.NOTE: _("提示")}
    return words[severity]


class GeneratorError(Exception):
    """An error the user can act on; the CLI prints it and exits non-zero."""


class UsageError(GeneratorError):
    """The command was asked for something that does not exist or cannot be done."""


class ContentError(GeneratorError):
    """The content has errors; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__(_("内容里有 {count} 个问题", count=len(diagnostics)))


def no_chinese_font() -> str:
    """Why a build with sheets cannot start on this machine."""
    return _(
        "本机没有中文字体，公示单会印成方框，没有生成：请安装 fonts-noto-cjk（sunshine doctor 查看本机字体），或用 --no-pdf 只生成网站"
    )


def failed_estate(where: Location, kind: str, reason: str) -> Diagnostic:
    """B001: an estate whose pages could not be made, for a reason of the generator's."""
    message = _(
        "生成这个小区的网页时出错（{kind}：{reason}），保留上次生成的内容；这是生成程序的问题，请报告它",
        kind=kind,
        reason=reason[:200],
    )
    return Diagnostic("B001", where, message)


def code_table() -> str:
    """The Markdown table of every code, as docs/diagnostics.md shows it."""
    rows = ["| code | severity | meaning | 含义 |", "|---|---|---|---|"]
    rows += [f"| {c.code} | {c.severity} | {c.title} | {c.title_zh} |" for c in CODES.values()]
    return "\n".join(rows) + "\n"
