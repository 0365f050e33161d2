"""Changes between releases in words a resident reads: what, where, old → new."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..diff import Change
from ..views import SECTIONS
from .text import number

KIND_WORDS = {"added": "新增", "removed": "删除", "changed": "变更"}
KIND_MARKS = {"added": "+", "removed": "-", "changed": "~"}
FIELDS = {
    "amount": "金额", "value": "金额", "from": "起始日期", "to": "截止日期", "end": "截止日期",
    "opening": "期初余额", "closing": "期末余额", "income": "收入", "expenditure": "支出",
    "staffing": "在岗人数", "level": "服务等级", "hours": "服务时间", "standard": "标准",
    "response_time": "响应时限", "title": "标题", "body": "正文", "summary": "摘要", "date": "日期",
    "term": "期限", "received": "实收", "receivable": "应收", "surplus": "结余", "regime": "定价方式",
    "basis": "依据", "ref": "文号", "posted": "公示日期", "name": "名称", "phone": "电话",
    "hotline": "服务热线", "manager": "项目经理", "contractor": "乙方", "category": "类别",
    "posting": "公示期", "households": "户数", "guide": "政府指导价", "area": "面积",
    "headcount": "人数", "commission": "酬金", "arrears_recovered": "追缴欠费", "scope": "服务范围",
    "selection": "选聘方式", "vote": "业主表决", "split": "分摊方式", "project": "工程项目",
    "cleaning": "保洁", "security": "保安", "greening": "保绿", "repairs": "保修",
    "firm": "物业服务企业", "committee": "业主委员会", "maintenance_fund": "维修资金",
}  # fmt: skip
_LABELS = ("title", "matter", "name", "item", "label", "summary")


@dataclass(frozen=True)
class Line:
    """One change, described."""

    kind: str
    section: str
    where: str
    old: str
    new: str
    delta: str
    path: str

    def text(self) -> str:
        body = f"{KIND_MARKS[self.kind]} {KIND_WORDS[self.kind]}  {self.section} · {self.where}"
        if self.kind == "changed":
            body += f"：{self.old} → {self.new}{self.delta}"
        elif self.kind == "added" and self.new:
            body += f"：{self.new}"
        elif self.kind == "removed" and self.old:
            body += f"：{self.old}"
        return body


def describe(change: Change, old_tree: dict[str, Any], new_tree: dict[str, Any]) -> Line:
    """Say what a change is, using the names residents know the items by."""
    tree = old_tree if change.kind == "removed" else new_tree
    labels: list[str] = []
    node: Any = tree
    for depth, segment in enumerate(change.path):
        parent, node = node, _step(node, segment)
        if depth == 2 and change.path[0] == "accounts":
            labels.append(f"{segment}")
        elif isinstance(node, dict) and depth > 0:
            if change.path[depth - 1] == "amendments" and "date" in node:
                labels.append(f"补充协议 {node['date'].isoformat()}")
            elif (
                isinstance(parent, dict)
                and segment in FIELDS
                and not _label(node)
                and change.path[0] != "accounts"
            ):
                labels.append(FIELDS[segment])
            elif label := _label(node):
                labels.append(label)
    field = change.path[-1]
    if not isinstance(node, dict) and field not in labels:
        labels.append(FIELDS.get(field, field))
    delta = ""
    if change.delta is not None:
        sign = "+" if change.delta >= 0 else "−"
        percent = f"，{sign}{abs(change.percent)}%" if change.percent is not None else ""
        delta = f"（{sign}{number(abs(change.delta))}{percent}）"
    return Line(
        kind=change.kind,
        section=_section(change),
        where=" · ".join(dict.fromkeys(labels)) or "—",
        old=_detail(change.old, labels),
        new=_detail(change.new, labels),
        delta=delta,
        path=".".join(change.path),
    )


def _section(change: Change) -> str:
    key = (
        change.path[1] if change.path[0] == "accounts" and len(change.path) > 1 else change.path[0]
    )
    return SECTIONS.get(key, key)


def _step(node: Any, segment: str) -> Any:
    if isinstance(node, dict):
        return node.get(segment)
    if isinstance(node, list):
        from ..diff import identity

        return next((item for i, item in enumerate(node) if identity(item, i) == segment), None)
    return None


def _label(node: dict[str, Any]) -> str:
    for key in _LABELS:
        if isinstance(node.get(key), str):
            text = node[key]
            return (
                f"{text} · {node['applies_to']}"
                if key == "item" and node.get("applies_to")
                else text
            )
    if isinstance(node.get("from"), dt.date) and "amount" in node:
        return f"自 {node['from'].isoformat()} 起"
    if "building" in node:
        return f"楼幢 {node['building']}"
    if "category" in node:
        return str(getattr(node["category"], "value", node["category"]))
    return ""


def _value(value: Any) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal | int):
        return number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return _label(value) or "…"
    if isinstance(value, list):
        return "、".join(_value(v) for v in value) or "（无）"
    text = str(getattr(value, "value", value))
    return text if len(text) <= 60 else text[:57] + "…"


def _detail(value: Any, labels: list[str]) -> str:
    """A value as shown; an added or removed item's own label is not said twice."""
    if isinstance(value, dict):
        if "opening" in value and "closing" in value:
            return f"期初 {_value(value['opening'])}，期末 {_value(value['closing'])}"
        if "amount" in value and "from" in value:
            return f"标准 {_value(value['amount'])}"
        summary = value.get("summary")
        if isinstance(summary, str) and summary not in labels:
            return summary if len(summary) <= 80 else summary[:77] + "…"
        return ""
    return _value(value)


def describe_all(
    changes: list[Change], old_tree: dict[str, Any], new_tree: dict[str, Any]
) -> list[Line]:
    return [describe(c, old_tree, new_tree) for c in changes]
