"""Changes between releases in words a resident reads: what, where, old → new.

Items are named as residents know them (a fee by its item, a statement by
its period in words, a building by its name, a vote by its matter), never by
an id. A fee's new period is one line: old → new, with its unit and day.
What a line says is made of page messages (views.Words), translated where a
page shows it; ``Line.text()`` says it in Chinese (the feed, ``sunshine diff``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..diff import Change
from ..views import P_, SECTIONS, Words, period_words, signed_percent
from .text import number, say

KIND_WORDS = {"added": "新增", "removed": "删除", "changed": "变更"}
KIND_MARKS = {"added": "+", "removed": "-", "changed": "~"}
FIELDS = {
    "amount": P_("金额"), "value": P_("金额"), "from": P_("起始日期"), "to": P_("截止日期"),
    "end": P_("截止日期"), "opening": P_("期初余额"), "closing": P_("期末余额"),
    "income": P_("收入"), "expenditure": P_("支出"), "staffing": P_("在岗人数"),
    "level": P_("服务等级"), "hours": P_("服务时间"), "standard": P_("标准"),
    "response_time": P_("响应时限"), "title": P_("标题"), "body": P_("正文"), "summary": P_("摘要"),
    "date": P_("日期"), "term": P_("期限"), "received": P_("实收"), "receivable": P_("应收"),
    "surplus": P_("结余"), "regime": P_("定价方式"), "basis": P_("依据"), "ref": P_("文号"),
    "posted": P_("公示日期"), "name": P_("名称"), "phone": P_("电话"), "hotline": P_("服务热线"),
    "manager": P_("项目经理"), "contractor": P_("乙方"), "client": P_("甲方"),
    "category": P_("类别"), "posting": P_("公示期"), "households": P_("户数"),
    "guide": P_("政府指导价"), "area": P_("面积"), "headcount": P_("人数"),
    "commission": P_("酬金"), "arrears_recovered": P_("追缴欠费"), "scope": P_("服务范围"),
    "selection": P_("选聘方式"), "vote": P_("业主表决"), "split": P_("分摊方式"),
    "project": P_("工程项目"), "cleaning": P_("保洁"), "security": P_("保安"),
    "greening": P_("保绿"), "repairs": P_("保修"), "firm": P_("物业服务企业"),
    "committee": P_("业主委员会"), "maintenance_fund": P_("维修资金"), "payer": P_("缴费人"),
    "applies_to": P_("适用对象"), "unit": P_("计费单位"), "calculation": P_("计费方式"),
    "billed_from": P_("起收时间"), "item": P_("项目"), "kind": P_("类型"),
    "contractor_credit_code": P_("乙方统一社会信用代码"), "attachment": P_("扫描件"),
    "amendments": P_("补充协议"), "floors": P_("层数"), "lift": P_("电梯"),
    "floor_area": P_("建筑面积"), "fund_initial_deposit": P_("维修资金首期归集额"),
    "custodian": P_("管理机构"), "initial_deposit": P_("首期归集总额"), "bank": P_("专户银行"),
    "address": P_("地址"), "credit_code": P_("统一社会信用代码"), "state_owned": P_("国有企业"),
    "office": P_("物业服务中心"), "filed": P_("备案"), "members": P_("成员"), "role": P_("职务"),
    "public": P_("公开"), "complaints": P_("投诉和监督渠道"), "url": P_("网址"),
    "method": P_("表决方式"), "matter": P_("表决事项"), "total": P_("全体业主"),
    "participating": P_("参与表决"), "approving": P_("同意"), "resolution": P_("决议"),
    "collection": P_("应收实收"), "label": P_("物业类型"), "other_income": P_("其他收入"),
    "budget": P_("预算"), "note": P_("说明"), "rate": P_("比例"), "buildings": P_("楼幢"),
    "accepted": P_("验收日期"), "emergency": P_("应急维修"), "period": P_("报表期间"),
    "built": P_("建成年份"), "gross_floor_area": P_("总建筑面积"), "property_types": P_("物业类型"),
    "management_mode": P_("收费方式"), "city": P_("城市"), "district": P_("区"),
    "street": P_("街道"), "community": P_("社区"), "pass_through": P_("代收代缴费用"),
    "extra_services": P_("合同外有偿服务"), "collected_for": P_("代收单位"),
    "description": P_("说明"), "plan": P_("余额用途"), "base": P_("基准价"),
    "lower": P_("最低价"), "upper": P_("最高价"), "method_": P_("计提方式"),
}  # fmt: skip
_LABELS = ("title", "matter", "name", "item", "label", "summary")

# a part of what a line says: the data as written, a page message, a day, or a list of parts
Part = str | Words | dt.date | list[Any]


@dataclass(frozen=True)
class Line:
    """One change, described."""

    kind: str
    section: str
    where: tuple[Part, ...]
    old: Part | None = None
    new: Part | None = None
    delta: Words | None = None
    path: str = field(default="", compare=False)

    def text(self) -> str:
        """The line in Chinese, for the feed and the command line."""
        said = _chinese
        body = f"{KIND_MARKS[self.kind]} {KIND_WORDS[self.kind]}  {self.section} · "
        body += " · ".join(said(p) for p in self.where) or "—"
        if self.kind == "changed" and self.old is not None:
            body += f"：{said(self.old)} → {said(self.new)}"
        elif self.new is not None or self.old is not None:
            body += f"：{said(self.new if self.new is not None else self.old)}"
        return body + (f"（{said(self.delta)}）" if self.delta else "")


def _chinese(part: Part | None) -> str:
    return say(part, lambda message: message, "zh-CN")


@dataclass(frozen=True)
class _Names:
    """Names of what data refers to by id: buildings, votes, contracts."""

    buildings: dict[str, str]
    votes: dict[str, str]
    contracts: dict[str, str]

    @classmethod
    def of(cls, *trees: dict[str, Any]) -> _Names:
        found: tuple[dict[str, str], dict[str, str], dict[str, str]] = ({}, {}, {})
        for t in trees:
            found[0].update({b["id"]: b["name"] for b in t["estate"].get("buildings") or []})
            found[1].update({v["id"]: v["matter"] for v in (t.get("votes") or {}).get("votes", [])})
            found[2].update(
                {c["id"]: c["title"] for c in (t.get("contracts") or {}).get("contracts", [])}
            )
        return cls(*found)

    def of_field(self, name: str, value: Any) -> Part | None:
        """A reference by id, named; None when the field refers to nothing."""
        table = {"vote": self.votes, "contract": self.contracts, "buildings": self.buildings}
        table.update({"building": self.buildings})
        if name not in table or value is None:
            return None
        if isinstance(value, list):
            return [table[name].get(v, v) for v in value]
        return table[name].get(value, value)


def describe_all(
    changes: list[Change], old_tree: dict[str, Any], new_tree: dict[str, Any]
) -> list[Line]:
    """Every change described; the changes of a fee's periods become one line per new period."""
    names = _Names.of(old_tree, new_tree)
    fees = [c for c in changes if _fee_period(c)]
    lines: list[Line] = []
    done_fees: set[str] = set()
    for change in changes:
        if change in fees:
            fee_id = change.path[2]
            if fee_id not in done_fees:
                done_fees.add(fee_id)
                group = [c for c in fees if c.path[2] == fee_id]
                lines += _fee_lines(group, old_tree, new_tree, names)
        else:
            lines.append(describe(change, old_tree, new_tree, names))
    return lines


def _fee_period(change: Change) -> bool:
    return (
        change.path[:2] == ("fees", "standards")
        and len(change.path) > 4
        and change.path[3] == "periods"
    )


def _fee_lines(
    group: list[Change], old_tree: dict[str, Any], new_tree: dict[str, Any], names: _Names
) -> list[Line]:
    """A fee's new periods, each as old → new from its day; other changes of its periods as they are."""
    fee = _step(_step(new_tree["fees"], "standards"), group[0].path[2])
    added = [c for c in group if c.kind == "added" and len(c.path) == 5]
    if fee is None or not added:
        return [describe(c, old_tree, new_tree, names) for c in group]
    periods = sorted(fee["periods"], key=lambda p: p["from"])
    starts = {str(c.path[4]) for c in added}
    lines = []
    for i, period in enumerate(periods):
        if period["from"].isoformat() in starts:
            lines.append(_fee_line(fee, periods[i - 1] if i else None, period))
    closed = {p["from"].isoformat() for p in periods if p["to"] is not None}
    rest = [
        c
        for c in group
        if c not in added
        and not (c.path[4] in closed and c.path[5:] == ("to",) and c.kind == "added")
    ]
    return lines + [describe(c, old_tree, new_tree, names) for c in rest]


def _fee_line(fee: dict[str, Any], before: dict[str, Any] | None, period: dict[str, Any]) -> Line:
    where: tuple[Part, ...] = (_fee_label(fee),)
    new = f"{number(period['amount'])} {fee['unit']}"
    if before is None:
        return Line(
            "added",
            SECTIONS["fees"],
            where,
            None,
            new,
            (P_("自 %(day)s 起"), {"day": period["from"]}),
        )
    old = f"{number(before['amount'])} {fee['unit']}"
    delta: Decimal = period["amount"] - before["amount"]
    pct = signed_percent(delta * 100 / before["amount"]) if before["amount"] else "—"
    message = (
        P_("自 %(day)s 起，上调 %(delta)s，%(percent)s")
        if delta > 0
        else P_("自 %(day)s 起，下调 %(delta)s，%(percent)s")
        if delta < 0
        else P_("自 %(day)s 起，标准不变")
    )
    said = (message, {"day": period["from"], "delta": number(abs(delta)), "percent": pct})
    return Line("changed", SECTIONS["fees"], where, old, new, said)


def _fee_label(fee: dict[str, Any]) -> str:
    return f"{fee['item']} · {fee['applies_to']}" if fee.get("applies_to") else fee["item"]


def describe(
    change: Change,
    old_tree: dict[str, Any],
    new_tree: dict[str, Any],
    names: _Names | None = None,
) -> Line:
    """Say what a change is, using the names residents know the items by."""
    names = names or _Names.of(old_tree, new_tree)
    tree = old_tree if change.kind == "removed" else new_tree
    if change.path[0] == "accounts" and len(change.path) == 3 and change.kind != "changed":
        return _statement_line(change)
    if len(change.path) == 1 and change.kind != "changed":  # a whole file: its items by name
        whole = change.new if change.kind == "added" else change.old
        items = [
            v for v in (whole.values() if isinstance(whole, dict) else []) if isinstance(v, list)
        ]
        named = [_label(item, names) for found in items for item in found if isinstance(item, dict)]
        where = tuple(n for n in named if n) or ("—",)
        return Line(change.kind, _section(change), where, path=".".join(change.path))
    labels: list[Part] = []
    node: Any = tree
    for depth, segment in enumerate(change.path):
        parent, node = node, _step(node, segment)
        label = _where(change, depth, segment, parent, node, names)
        if label is not None and label not in labels:
            labels.append(label)
    last = change.path[-1]
    if not isinstance(node, dict) and last in FIELDS and (FIELDS[last], {}) not in labels:
        labels.append((FIELDS[last], {}))
    delta: Words | None = None
    if change.delta is not None:
        message = (
            P_("增加 %(delta)s，%(percent)s")
            if change.delta >= 0
            else P_("减少 %(delta)s，%(percent)s")
        )
        percent = signed_percent(change.percent) if change.percent is not None else "—"
        delta = (message, {"delta": number(abs(change.delta)), "percent": percent})
    return Line(
        kind=change.kind,
        section=_section(change),
        where=tuple(labels) or ("—",),
        old=_detail(change.old, labels, last, names),
        new=_detail(change.new, labels, last, names),
        delta=delta,
        path=".".join(change.path),
    )


def _where(
    change: Change, depth: int, segment: str, parent: Any, node: Any, names: _Names
) -> Part | None:
    """How one step of a change's path is named, or None when it adds nothing."""
    path = change.path
    if depth == 2 and path[0] == "accounts" and isinstance(node, dict) and "period" in node:
        return period_words_of(node["period"])
    if not isinstance(node, dict) or depth == 0:
        return None
    if path[depth - 1] == "amendments" and "date" in node:
        return P_("%(day)s 的补充协议"), {"day": node["date"]}
    if (
        isinstance(parent, dict)
        and segment in FIELDS
        and not _label(node, names)
        and path[0] != "accounts"
    ):
        return FIELDS[segment], {}
    return _label(node, names) or None


def period_words_of(period: dict[str, Any]) -> Words:
    from ..model.base import Period

    return period_words(Period.model_validate(period))


def _statement_line(change: Change) -> Line:
    """A statement added or taken away: its period in words and its balances."""
    statement = change.new if change.kind == "added" else change.old
    period = period_words_of(statement["period"])
    said: Words = (
        (
            P_("%(period)s，期初 %(opening)s 元，期末 %(closing)s 元"),
            {"period": period, "opening": number(statement["opening"]), "closing": number(statement["closing"])},
        )
        if statement.get("closing") is not None and statement.get("opening") is not None
        else (P_("%(period)s，结余 %(surplus)s 元"), {"period": period, "surplus": number(statement["surplus"])})
    )  # fmt: skip
    where: Words = (P_("新的一期") if change.kind == "added" else P_("一期报表")), {}
    old, new = (None, said) if change.kind == "added" else (said, None)
    return Line(change.kind, _section(change), (where,), old, new, None, ".".join(change.path))


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


def _label(node: dict[str, Any], names: _Names) -> Part:
    for key in _LABELS:
        if isinstance(node.get(key), str):
            text = node[key]
            return (
                f"{text} · {node['applies_to']}"
                if key == "item" and node.get("applies_to")
                else text
            )
    if isinstance(node.get("from"), dt.date) and "amount" in node:
        return P_("自 %(day)s 起的标准"), {"day": node["from"]}
    if "building" in node:
        return names.buildings.get(node["building"], node["building"])
    if "category" in node:
        category = node["category"]
        return (str(category.value), {}) if hasattr(category, "value") else str(category)
    if "reason" in node and "path" in node:  # a correction: what it says of itself
        return str(node["reason"])
    return ""


def _value(value: Any, name: str = "", names: _Names | None = None) -> Part:
    if names is not None and (named := names.of_field(name, value)) is not None:
        return named
    if value is None:
        return P_("（空）"), {}
    if isinstance(value, bool):
        return (P_("是") if value else P_("否")), {}
    if isinstance(value, Decimal | int):
        return number(value)
    if isinstance(value, dt.date):
        return value  # said as a long date (see text.say)
    if isinstance(value, dict):
        return _label(value, names or _Names({}, {}, {})) or "…"
    if isinstance(value, list):
        return [_value(v, name, names) for v in value] or (P_("（无）"), {})
    if hasattr(value, "value"):  # an enumeration: its Chinese value is a page message
        return str(value.value), {}
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _detail(value: Any, labels: list[Part], name: str, names: _Names) -> Part | None:
    """A value as shown; an added or removed item's own label is not said twice."""
    if value is None:
        return None
    if isinstance(value, dict):
        if "opening" in value and "closing" in value:
            return P_("期初 %(opening)s 元，期末 %(closing)s 元"), {
                "opening": number(value["opening"]),
                "closing": number(value["closing"]),
            }
        if "amount" in value and "from" in value:
            return P_("%(amount)s，自 %(day)s 起"), {
                "amount": number(value["amount"]),
                "day": value["from"],
            }
        summary = value.get("summary")
        return summary if isinstance(summary, str) and summary not in labels else None
    return _value(value, name, names)
