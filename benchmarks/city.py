"""City-scale build benchmark: N synthetic estates in the project's own content format.

Run: .venv/bin/python benchmarks/city.py [--estates 1000] [--pdf-sample 40] [--pdf-full] [--jobs 2] [--keep DIR] [--check-only] [--dask]

Each estate has the sizes of a real one: 10 fee items, 5 contracts, 4 x 5
service standards, three years of statements (50 maintenance-fund and 100
public-revenue entries a year, in half-yearly and quarterly files), a yearly
property-fee statement, 5 notices, and 2-4 releases. Every build runs as
its own process (``python -m generator build``), timed from outside; peak RSS
is the largest of the build and its worker processes. Printed as a table,
with what reading one estate costs as YAML and as JSON snapshots.

The rebuilds follow the edits firms make: a working copy edited (the site
shows releases only, so nothing changes) and a new release of one estate
(made by ``release``, not timed). A cold build starts with neither output
nor cache; "cache kept" is a build with the output deleted and the build
cache (.sunshine-cache/) kept, as on a CI runner that restores it. The PDF figures are measured on the first
--pdf-sample estates, with one and with two worker processes, so that the
whole run stays within minutes; the sheets/s they give scale linearly with
the number of estates. ``--pdf-full`` then builds every estate's sheets
and measures the one-estate rebuild with PDFs at full scale.

The estates differ as real ones do: each draws its era, size, fee, fund,
public revenue and collection from a seed (params), about fifty a street;
the tests build their 1,000-estate city from the same draws (document).
After the first build it prints what a phone fetches first (index.html,
search.json) and the heaviest street and comparison pages, the size of
data/, and the seconds to place every estate among its peers and flag
the outliers.

Builds run as of 2026-08-20 (SOURCE_DATE_EPOCH); the "daily rebuild" is the
next day's build with no content changed, as a nightly build finds it. The
last column is the build's own process alone (its workers aside). ``--dask``
measures sheets/s on a Dask cluster started here, with 1 and with 2 workers.

``check`` is measured first, as firms run it after every edit: every
estate in one process without the cache (the old way), every estate in
workers filling the cache, again with nothing changed, and after one
estate's edit (``--check-only`` stops there).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.cache import CACHE_FOLDER  # noqa: E402
from generator.content import load_estate  # noqa: E402
from generator.model.notices import Release  # noqa: E402
from generator.pipeline import release  # noqa: E402
from generator.releases import document_hash, load_releases, write_snapshot  # noqa: E402

CITY = "上海市"
DISTRICTS = ["浦东新区", "黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区"]
PER_STREET = 50  # estates a street, as in a city of 13,000 estates and 215 streets
SEED = 21
TEMPLATE_AREA = Decimal("98000.00")  # the template estate's (estate_files)
DAY = dt.date(2026, 8, 20)  # the day builds and checks run as of
NEW_NOTICE = """---
title: 新公告
date: 2026-08-19
category: 日常通知
posting: {from: 2026-08-19, to: 2026-09-02}
---
下一期的公告，还没有发布。
"""
D = dt.date
# what an era's estates are like: (years built, building kind, property fee range 元/㎡·月)
ERAS = [
    (range(1980, 2000), "多层", (Decimal("0.40"), Decimal("0.90"))),
    (range(2000, 2010), "小高层", (Decimal("1.00"), Decimal("2.00"))),
    (range(2010, 2021), "高层", (Decimal("1.80"), Decimal("3.20"))),
]


@dataclass(frozen=True)
class Params:
    """One synthetic estate: where it is and the figures it discloses, drawn with a seed."""

    n: int
    estate_id: str
    name: str
    district: str
    street: str
    built: int
    kind: str
    households: int
    area: Decimal  # gross floor area, ㎡
    fee: Decimal  # residential property fee, 元/㎡·月
    spaces: int  # parking spaces, as the price board counts them
    revenue: Decimal  # public revenue a year, 元
    distributed: Decimal  # share of the revenue handed back (into the fund)
    deposit: Decimal  # the fund's first deposit, 元
    fund_share: Decimal  # the fund's balance as a share of its first deposit
    spending: Decimal  # fund spending a year, 元
    collection: Decimal  # property-fee collection rate


def street_of(n: int, count: int) -> tuple[str, str]:
    """Estate n's district and street: about PER_STREET estates a street."""
    streets = max(1, count // PER_STREET)
    s = n % streets
    return DISTRICTS[s % len(DISTRICTS)], f"第{s + 1}街道"


def params(n: int, count: int, seed: int = SEED) -> Params:
    """Estate n of a city of ``count``: a plausible spread, the same for the same seed."""
    rng = random.Random(f"{seed}-{n}")
    years, kind, (low, high) = ERAS[rng.randrange(len(ERAS))]
    area = Decimal(rng.randrange(20_000, 200_000))
    cent = Decimal("0.01")

    def between(a: str | Decimal, b: str | Decimal) -> Decimal:
        a, b = Decimal(a), Decimal(b)
        return (a + (b - a) * Decimal(rng.random())).quantize(cent)

    deposit = (area * between("30", "80")).quantize(cent)
    district, street = street_of(n, count)
    return Params(
        n, f"estate-{n:05d}", f"小区{n:05d}", district, street, rng.choice(list(years)), kind,
        int(area / 85), area, between(low, high), int(area / 400),
        (area * between("1.5", "4.5")).quantize(cent), between("0.3", "0.9"), deposit,
        between("0.5", "1.5"), (area * between("1", "6")).quantize(cent), between("0.85", "0.98"),
    )  # fmt: skip


def document(p: Params, year: int = 2025) -> dict[str, Any]:
    """A small estate of these figures as content data (one year of statements), for tests."""
    money = lambda v: f"{v:.2f}"  # noqa: E731
    closing = (p.deposit * p.fund_share).quantize(Decimal("0.01"))
    spent, quarter = p.spending, (p.revenue / 4).quantize(Decimal("0.01"))
    handed = (quarter * p.distributed).quantize(Decimal("0.01"))
    revenue, balance = {}, Decimal(0)
    for q in range(4):
        start = D(year, 3 * q + 1, 1)
        end = (D(year, 3 * q + 4, 1) if q < 3 else D(year + 1, 1, 1)) - dt.timedelta(days=1)
        out = (
            [
                {
                    "id": f"r{q}-out",
                    "date": end,
                    "category": "抵扣物业费",
                    "amount": money(handed),
                    "summary": "抵扣业主物业费",
                }
            ]
            if handed
            else []
        )
        revenue[f"{year}-q{q + 1}"] = {
            "period": {"from": start, "to": end}, "opening": money(balance),
            "income": [{"id": f"r{q}-in", "date": start, "category": "停车", "amount": money(quarter), "summary": "停车收入"}],
            "expenditure": out, "closing": money(balance + quarter - handed),
        }  # fmt: skip
        balance += quarter - handed
    receivable = (p.area * p.fee * 12).quantize(Decimal("0.01"))
    received = (receivable * p.collection).quantize(Decimal("0.01"))
    costs = (receivable / 2).quantize(Decimal("0.01"))
    return {
        "estate": {
            "id": p.estate_id, "name": p.name, "city": CITY, "district": p.district,
            "street": p.street, "community": "第一居委", "address": f"模板路 {p.n} 号",
            "built": p.built, "households": p.households, "gross_floor_area": money(p.area),
            "property_types": ["住宅", "车位"], "management_mode": "包干制",
            "buildings": [{"id": "b1", "name": "1号楼", "kind": p.kind, "floor_area": money(p.area)}],
            "firm": {"name": "上海基准物业管理有限公司", "credit_code": "91310115MA1K4A8B03", "manager": {"name": "李经理", "phone": "021-50000000"}, "hotline": "021-50000001"},
            "maintenance_fund": {"custodian": "专项维修资金管理中心", "initial_deposit": money(p.deposit)},
            "complaints": [{"name": "12345 市民服务热线", "phone": "12345"}],
        },
        "fees": {"standards": [
            {"id": "fee-res", "item": "物业服务费", "payer": "业主", "applies_to": f"{p.kind}住宅", "unit": "元/㎡·月", "calculation": "按建筑面积按月计收", "periods": [{"from": D(2020, 1, 1), "amount": money(p.fee), "regime": "市场调节价", "basis": {"kind": "业主大会决议", "ref": "2019 年业主大会决议"}}]},
            {"id": "fee-park", "item": "停车费", "payer": "车主", "applies_to": f"地面车位（{p.spaces} 个）", "unit": "元/个·月", "calculation": "按月计收", "periods": [{"from": D(2020, 1, 1), "amount": "150.00", "regime": "市场调节价", "basis": {"kind": "业主大会决议", "ref": "2019 年业主大会决议"}}]},
        ]},
        "accounts": {
            "maintenance_fund": {f"{year}": {
                "period": {"from": D(year, 1, 1), "to": D(year, 12, 31)}, "opening": money(closing + spent),
                "expenditure": [{"id": "f-out", "date": D(year, 6, 1), "category": "维修工程", "amount": money(spent), "summary": "维修", "project": "维修", "contractor": "施工单位", "split": "按面积分摊", "emergency": "应急"}],
                "closing": money(closing),
            }},
            "public_revenue": revenue,
            "property_fees": {f"{year}": {
                "period": {"from": D(year, 1, 1), "to": D(year, 12, 31)}, "regime": "包干制", "basis": "收付实现制",
                "collection": [{"id": "res", "label": "住宅", "area": money(p.area), "receivable": money(receivable), "received": money(received)}],
                "expenditure": [{"category": "人员费用", "amount": money(costs)}], "surplus": money(received - costs),
            }},
        },
    }  # fmt: skip


def money(value: Decimal) -> str:
    return f"{value:.2f}"


def estate_files(year_count: int) -> dict[str, str]:
    """The template estate's files with ``year_count`` years of statements (2023 onwards)."""
    files: dict[str, str] = {}
    files["estate.yaml"] = (
        """\
id: tmpl
name: 模板小区
city: 上海市
district: 浦东新区
street: 第1街道
community: 第一居委
address: 模板路 1 号
built: 2001
households: 1200
gross_floor_area: 98000.00
property_types: [住宅, 车位]
management_mode: 包干制
buildings:
"""
        + "".join(
            f"  - {{id: b{b}, name: {b}号楼, kind: 高层, floors: 18, lift: true, households: 100, floor_area: 8166.67}}\n"
            for b in range(1, 13)
        )
        + """\
firm:
  name: 上海基准物业管理有限公司
  credit_code: 91310115MA1K4A8B03
  manager: {name: 李经理, phone: 021-50000000}
  hotline: 021-50000001
maintenance_fund: {custodian: 浦东新区住宅专项维修资金管理中心, initial_deposit: 5000000.00}
complaints:
  - {name: 物业服务热线, phone: 021-50000001}
  - {name: 12345 市民服务热线, phone: "12345"}
"""
    )
    fees = ["standards:\n"]
    named = {
        0: ("物业服务费", "高层住宅", "元/㎡·月"),
        1: ("停车费", "地面车位（300 个）", "元/个·月"),
    }
    for f in range(10):
        item, applies_to, unit = named.get(f, (f"收费项目{f}", f"类别{f}", "元/㎡·月"))
        fees.append(f"""\
  - id: fee-{f}
    item: {item}
    payer: 业主
    applies_to: {applies_to}
    unit: {unit}
    calculation: 按建筑面积按月计收
    periods:
      - {{from: 2020-01-01, amount: {1 + f / 10:.2f}, regime: 市场调节价, basis: {{kind: 业主大会决议, ref: 2019 年业主大会决议}}}}
""")
    files["fees.yaml"] = "".join(fees)
    files["contracts.yaml"] = "contracts:\n" + "".join(
        f"""\
  - id: contract-{c}
    kind: {"物业服务合同" if c == 0 else "其他"}
    title: 合同{c}
    client: 业主大会
    contractor: 承包单位{c}
    term: {{from: 2023-01-01, to: 2027-12-31}}
    amount: {{value: {100000 + c * 1000}.00, per: 年}}
    selection: 公开招标
    scope: 服务范围{c}
"""
        for c in range(5)
    )
    services = []
    for key in ("cleaning", "security", "greening", "repairs"):
        services.append(
            f"{key}:\n  staffing: 5\n  level: 二级\n  standards:\n"
            + "".join(
                f"    - {{id: {key}-{s}, item: 内容{s}, standard: 每日一次, response_time: 30 分钟}}\n"
                for s in range(5)
            )
        )
    files["services.yaml"] = "".join(services)
    files["votes.yaml"] = (
        "votes:\n  - {id: vote-fund, date: 2022-12-20, matter: 使用维修资金, kind: 使用维修资金, total: {area: 98000.00, headcount: 1200}, participating: {area: 80000.00, headcount: 1000}, approving: {area: 60000.00, headcount: 800}}\n"
    )
    fund, revenue = Decimal("4000000.00"), Decimal("100000.00")
    entry = 0

    def ledger(
        prefix: str,
        start: dt.date,
        end: dt.date,
        opening: Decimal,
        step: int,
        lines: tuple[tuple[str, Decimal], tuple[str, Decimal]],
        every: int,
    ) -> tuple[str, Decimal]:
        """A statement of 25 entries, one spending in ``every``; its YAML and closing balance."""
        nonlocal entry
        income: list[str] = []
        spending: list[str] = []
        closing = opening
        for n in range(25):
            entry += 1
            day = start + dt.timedelta(days=n * step)
            spent = n % every == 0
            template, amount = lines[spent]
            line = template.format(id=f"{prefix}{entry}", day=day, n=entry, amount=money(amount))
            (spending if spent else income).append(f"  - {{{line}}}\n")
            closing += -amount if spent else amount
        text = f"period: {{from: {start}, to: {end}}}\nopening: {money(opening)}\nincome:\n{''.join(income)}expenditure:\n{''.join(spending)}closing: {money(closing)}\n"
        return text, closing

    fund_lines = (
        (
            "id: {id}, date: {day}, category: 利息, amount: {amount}, summary: 专户利息 {n}",
            Decimal(1000),
        ),
        (
            "id: {id}, date: {day}, category: 维修工程, amount: {amount}, summary: 维修 {n}, project: 项目 {n}, contractor: 施工单位, split: 按面积分摊, vote: vote-fund",
            Decimal(800),
        ),
    )
    revenue_lines = (
        (
            "id: {id}, date: {day}, category: 停车, amount: {amount}, summary: 停车收入 {n}",
            Decimal(500),
        ),
        (
            "id: {id}, date: {day}, category: 管理成本, amount: {amount}, summary: 成本 {n}",
            Decimal(300),
        ),
    )
    for year in range(2023, 2023 + year_count):
        for half, (start, end) in enumerate(
            [(D(year, 1, 1), D(year, 6, 30)), (D(year, 7, 1), D(year, 12, 31))], start=1
        ):
            files[f"accounts/maintenance-fund/{year}-h{half}.yaml"], fund = ledger(
                "f", start, end, fund, 7, fund_lines, 2
            )
        for q in range(4):
            start, end = (
                D(year, 3 * q + 1, 1),
                (D(year, 3 * q + 4, 1) if q < 3 else D(year + 1, 1, 1)) - dt.timedelta(days=1),
            )
            files[f"accounts/public-revenue/{year}-q{q + 1}.yaml"], revenue = ledger(
                "r", start, end, revenue, 3, revenue_lines, 5
            )
        files[f"accounts/property-fees/{year}.yaml"] = f"""\
period: {{from: {year}-01-01, to: {year}-12-31}}
regime: 包干制
basis: 收付实现制
collection:
  - {{id: res, label: 住宅, area: 98000.00, receivable: 1176000.00, received: 1100000.00}}
expenditure:
  - {{category: 人员费用, amount: 700000.00}}
  - {{category: 清洁卫生费, amount: 200000.00}}
  - {{category: 税费, amount: 100000.00}}
surplus: 100000.00
"""
    for n in range(5):
        files[f"notices/notice-{n}.md"] = (
            f"---\ntitle: 公告{n}\ndate: 2025-0{n + 1}-10\ncategory: 日常通知\nposting: {{from: 2025-0{n + 1}-10, to: 2025-0{n + 1}-24}}\n---\n第 {n} 号公告正文。请各位业主留意。\n\n- 事项一\n- 事项二\n"
        )
    return files


def template(root: Path) -> Path:
    """One estate with three releases, a year of statements apart."""
    folder = root / "tmpl"
    for years in (1, 2, 3):
        for name, text in estate_files(years).items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
        loaded = load_estate(folder, "content/tmpl")
        assert loaded.complete and loaded.data is not None, [d.format() for d in loaded.problems]
        day = D(2023 + years, 1, 20)
        release = Release.model_validate(
            {
                "id": f"{2022 + years}",
                "date": day,
                "posting": {"from": day, "to": day + dt.timedelta(days=13)},
                "signers": [{"role": "物业服务企业", "name": "上海基准物业管理有限公司"}],
            }
        )
        write_snapshot(folder, release, loaded.data)
    return folder


def clone(source: Path, content: Path, n: int, count: int) -> None:
    """Estate n: the template with its own id, name, street and figures (params); snapshots re-hashed."""
    p = params(n, count)
    target = content / p.estate_id
    for path in source.rglob("*"):
        if path.is_dir():
            continue
        relative = path.relative_to(source)
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            document = json.loads(text)
            if n % 3 == 0 and relative.stem == "2025":  # a third of the estates have two releases
                continue
            apply(document["data"], p)
            document["sha256"] = document_hash(document)
            text = json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
        elif relative.name in ("estate.yaml", "votes.yaml") or relative.parts[0] == "accounts":
            continue  # written below, from the latest snapshot's data
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        (target / relative).write_text(text, encoding="utf-8")
    latest = max((source / "releases").glob("*.json"), key=lambda path: path.stem)
    data = json.loads(latest.read_text(encoding="utf-8"))["data"]
    apply(data, p)
    working = {
        "estate.yaml": data["estate"],
        "fees.yaml": data["fees"],
        "votes.yaml": data["votes"],
    }
    for kind, statements in data["accounts"].items():
        folder = kind.replace("_", "-")
        working |= {f"accounts/{folder}/{pid}.yaml": st for pid, st in statements.items()}
    for name, part in working.items():  # JSON is YAML: the working copy equals the latest release
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(json.dumps(part, ensure_ascii=False, indent=1), encoding="utf-8")


def apply(data: dict[str, Any], p: Params) -> None:
    """Give a snapshot's data the estate's own place, size, fee, fund, revenue and collection."""
    estate = data["estate"]
    estate.update(id=p.estate_id, name=p.name, district=p.district, street=p.street, built=p.built)
    estate.update(households=p.households, gross_floor_area=f"{p.area:.2f}")
    for b in estate["buildings"]:
        b.update(kind=p.kind, floor_area=f"{p.area / len(estate['buildings']):.2f}")
    estate["maintenance_fund"]["initial_deposit"] = f"{p.deposit:.2f}"
    fees = {f["id"]: f for f in data["fees"]["standards"]}
    fees["fee-0"]["periods"][0]["amount"] = f"{p.fee:.2f}"
    fees["fee-1"]["applies_to"] = f"地面车位（{p.spaces} 个）"
    accounts = data["accounts"]
    shift = (p.deposit * p.fund_share - Decimal("4000000.00")).quantize(Decimal("0.01"))
    for st in accounts["maintenance_fund"].values():
        for key in ("opening", "closing"):
            st[key] = f"{Decimal(st[key]) + shift:.2f}"
    handed = round(p.distributed * 5)  # of each quarter's five cost lines, those that offset fees
    for st in accounts["public_revenue"].values():
        for entry in st["expenditure"][:handed]:
            entry["category"] = "抵扣物业费"
    _scale(accounts["public_revenue"], p.revenue / Decimal(40000))
    for st in accounts["property_fees"].values():  # what more or less is received, the surplus too
        for line in st["collection"]:
            received = Decimal(line["receivable"]) * p.collection
            st["surplus"] = f"{Decimal(st['surplus']) + received - Decimal(line['received']):.2f}"
            line["received"] = f"{received:.2f}"
    buildings = sum(Decimal(b["floor_area"]) for b in estate["buildings"])
    for vote in data["votes"]["votes"]:  # the owners' area is the estate's, no more
        for side in ("total", "participating", "approving"):
            area = Decimal(vote[side]["area"]) * buildings / TEMPLATE_AREA
            vote[side]["area"] = f"{area.quantize(Decimal('0.01'), ROUND_DOWN)}"


def _scale(statements: dict[str, Any], factor: Decimal) -> None:
    """Every amount times ``factor``, each balance carried from the statement before."""
    balance = None
    for st in sorted(statements.values(), key=lambda st: st["period"]["from"]):
        opening = balance if balance is not None else Decimal(st["opening"]) * factor
        st["opening"] = f"{opening:.2f}"
        balance = Decimal(st["opening"])
        for side, sign in (("income", 1), ("expenditure", -1)):
            for entry in st[side]:
                entry["amount"] = f"{Decimal(entry['amount']) * factor:.2f}"
                balance += sign * Decimal(entry["amount"])
        st["closing"] = f"{balance:.2f}"


def make_site(root: Path, count: int) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(
        "title: 基准城市\nbase_url: https://example.org/\n", encoding="utf-8"
    )
    content = root / "content"
    content.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as scratch:
        source = template(Path(scratch))
        for n in range(count):
            clone(source, content, n, count)


def publish(root: Path, estate_id: str) -> None:
    """The edit a firm makes each period: a new release of one estate (not timed)."""
    day = DAY
    existing = {p.stem for p in (root / "content" / estate_id / "releases").glob("*.json")}
    release_id = next(f"2026-r{n}" for n in range(1, 100) if f"2026-r{n}" not in existing)
    release(root, estate_id, day, release_id, (day, day + dt.timedelta(days=13)))


def run_build(root: Path, out: Path, *flags: str) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (KiB) of the build and its workers, last line printed."""
    return run(root, "build", "--out", str(out), *flags)


def run_check(root: Path, *flags: str) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (KiB) of check and its workers, its report of what it read again."""
    return run(root, "check", "--as-of", DAY.isoformat(), *flags, fails=False)


MAIN_RSS: list[int] = []  # the main process's own peak RSS (KiB) of each command run


def run(root: Path, *arguments: str, fails: bool = True) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (KiB) of a command and its workers, its last line; the main
    process's own peak goes to MAIN_RSS (workers are forked and leave by os._exit)."""
    probe = (
        "import resource, subprocess, sys, time;"
        "t = time.perf_counter(); r = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode);"
        "said = [l for l in r.stderr.splitlines() if '重新核对' in l] or [l for l in r.stdout.splitlines() if '已生成' in l or '已是最新' in l];"
        "print(said[0] if said else r.stdout.strip().splitlines()[-1] if r.stdout.strip() else r.stderr[-400:])"
    )
    main = (
        "import atexit, os, resource, sys;"
        "atexit.register(lambda: open(os.environ['SUNSHINE_MAIN_RSS'], 'w').write("
        "str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)));"
        "sys.argv = ['sunshine', *sys.argv[1:]];"
        "from generator.cli import run; run()"
    )
    command = [sys.executable, "-c", probe, sys.executable, "-c", main, "-C", str(root), *arguments]
    with tempfile.NamedTemporaryFile() as own:
        env = {**os.environ, "SUNSHINE_MAIN_RSS": own.name}
        result = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
        MAIN_RSS.append(int(Path(own.name).read_text() or 0))
    first, last = result.stdout.splitlines()[:2]
    seconds, rss, code = first.split()
    if code != "0" and fails:
        raise SystemExit(f"{arguments[0]} failed: {last}")
    return float(seconds), int(rss), last


Row = tuple[
    str, float, str, int, int
]  # measure, wall s, rate, peak RSS of all, of the main process


def add(rows: list[Row], measured: tuple[str, float, str, int]) -> None:
    rows.append((*measured, MAIN_RSS[-1]))


def on_day(day: dt.date) -> None:
    """Builds from here on run as of ``day`` (SOURCE_DATE_EPOCH, as a nightly build's clock)."""
    moment = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))


def cold(root: Path, out: Path) -> None:
    """No output and no cache: a build from nothing."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(root / CACHE_FOLDER, ignore_errors=True)


def count(out: Path, suffix: str) -> int:
    return sum(1 for _ in out.rglob(f"*{suffix}"))


def parse_costs(content: Path, count: int = 50) -> list[tuple[str, float]]:
    """Milliseconds per estate to read it, three ways, over the first ``count`` estates."""
    folders = sorted(p for p in content.iterdir() if p.is_dir())[:count]
    ways = {
        "YAML working copy (C loader, marks, models)": lambda f: load_estate(f, f.name),
        "JSON snapshots (parsed, validated, hash checked)": lambda f: load_releases(f, f.name),
        "JSON snapshots, json.loads alone": lambda f: [
            json.loads(p.read_bytes()) for p in (f / "releases").glob("*.json")
        ],
    }
    costs = []
    for name, read in ways.items():
        started = time.perf_counter()
        for folder in folders:
            read(folder)
        costs.append((name, (time.perf_counter() - started) * 1000 / len(folders)))
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--estates", type=int, default=1000)
    parser.add_argument("--pdf-sample", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--keep", type=Path, default=None, help="generate into DIR and keep it")
    parser.add_argument(
        "--pdf-full", action="store_true", help="also build every estate's sheets, and rebuild one"
    )
    parser.add_argument("--check-only", action="store_true", help="measure check alone, no build")
    parser.add_argument(
        "--no-serial-check",
        action="store_true",
        help="skip check in one process without its cache (minutes at 10,000 estates)",
    )
    parser.add_argument(
        "--dask", action="store_true", help="sheets/s on a local Dask cluster of 1, then 2 workers"
    )
    args = parser.parse_args()
    on_day(DAY)
    root = args.keep or Path(tempfile.mkdtemp(prefix="sunshine-city-"))
    rows: list[Row] = []
    try:
        started = time.perf_counter()
        if not (root / "site.yaml").exists():
            make_site(root, args.estates)
        size = sum(p.stat().st_size for p in (root / "content").rglob("*") if p.is_file())
        print(
            f"{args.estates} estates, {size / 2**20:.0f} MiB of content, generated in {time.perf_counter() - started:.0f} s; {args.jobs} jobs",
            flush=True,
        )
        costs = parse_costs(root / "content")  # before any build, in this quiet process
        out, jobs = root / "build", ("--jobs", str(args.jobs))
        rows += measure_check(root, jobs, serial=not args.no_serial_check)
        if args.check_only:
            return report(rows, {}, costs, args.jobs)
        cold(root, out)
        seconds, rss, _ = run_build(root, out, "--no-pdf", *jobs)
        pages, cold_seconds = count(out, ".html"), seconds
        add(rows, ("cold build, HTML only", seconds, f"{pages / seconds:,.0f} pages/s", rss))
        seconds, rss, _ = run_build(root, out, "--no-pdf", *jobs)
        add(rows, ("rebuild, nothing changed", seconds, "", rss))
        rows += weights(out)
        rows.append(peers_cost(args.estates))
        on_day(DAY + dt.timedelta(days=1))  # the nightly build: a new day, no content changed
        seconds, rss, line = run_build(root, out, "--no-pdf", *jobs)
        said = f"{seconds / cold_seconds:.1%} of cold; " + line.split("：", 1)[-1]
        add(rows, ("daily rebuild, next day, nothing changed", seconds, said[:44], rss))
        notice = root / "content" / "estate-00001" / "notices" / "notice-new.md"
        notice.write_text(NEW_NOTICE, encoding="utf-8")  # the next period's, not released yet
        seconds, rss, line = run_build(root, out, "--no-pdf", *jobs)
        add(rows, ("rebuild, a working copy edited (not shown)", seconds, line[-44:], rss))
        publish(root, "estate-00002")
        seconds, rss, line = run_build(root, out, "--no-pdf", *jobs)
        add(
            rows, ("rebuild, one estate released, HTML only", seconds, line.split(": ", 1)[-1], rss)
        )
        shutil.rmtree(out)  # the output gone, the cache kept: a CI runner that restores it
        seconds, rss, line = run_build(root, out, "--no-pdf", *jobs)
        add(rows, ("cold build, HTML only, cache kept", seconds, line.split(": ", 1)[-1], rss))
        sample = root / "sample"
        if not sample.exists():
            (sample / "content").mkdir(parents=True)
            shutil.copy(root / "site.yaml", sample / "site.yaml")
            for folder in sorted((root / "content").iterdir())[: args.pdf_sample]:
                shutil.copytree(folder, sample / "content" / folder.name)
        timed: dict[int, float] = {}
        for workers in (1, args.jobs):
            cold(sample, sample / "build")
            seconds, rss, _ = run_build(sample, sample / "build", "--jobs", str(workers))
            timed[workers] = seconds
            sheets = count(sample / "build", "sheet.pdf")
            add(
                rows,
                (
                    f"cold build with PDFs, {args.pdf_sample} estates, --jobs {workers}",
                    seconds,
                    f"{sheets / seconds:.1f} sheets/s",
                    rss,
                ),
            )
        publish(sample, sorted(p.name for p in (sample / "content").iterdir())[1])
        seconds, rss, line = run_build(sample, sample / "build", *jobs)
        add(
            rows,
            (
                f"rebuild, one estate released, HTML and PDF, {args.pdf_sample} estates",
                seconds,
                line.split(": ", 1)[-1],
                rss,
            ),
        )
        if args.dask:
            rows += measure_dask(sample)
        if args.pdf_full:
            seconds, rss, _ = run_build(root, out, *jobs)
            sheets = count(out, "sheet.pdf")
            add(rows, ("cold build with PDFs", seconds, f"{sheets / seconds:.1f} sheets/s", rss))
            shutil.rmtree(out)
            seconds, rss, line = run_build(root, out, *jobs)
            add(rows, ("cold build with PDFs, cache kept", seconds, line.split(": ", 1)[-1], rss))
            publish(root, "estate-00003")
            seconds, rss, line = run_build(root, out, *jobs)
            add(
                rows,
                (
                    "rebuild, one estate released, HTML and PDF",
                    seconds,
                    line.split(": ", 1)[-1],
                    rss,
                ),
            )
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    report(rows, timed, costs, args.jobs)


def weights(out: Path) -> list[Row]:
    """What a resident's phone fetches first, and the heaviest pages over all estates (KiB)."""
    rows = []
    for name in ("index.html", "search.json", "street.html"):
        rows.append(
            (f"size of {name}", 0.0, f"{(out / name).stat().st_size / 1024:,.0f} KiB", 0, 0)
        )
    for folder in ("streets", "compare"):
        largest = max((out / folder).glob("*.html"), key=lambda p: p.stat().st_size)
        rows.append(
            (f"largest page in {folder}/", 0.0, f"{largest.stat().st_size / 1024:,.0f} KiB", 0, 0)
        )
    data = sum(p.stat().st_size for p in (out / "data").iterdir())
    rows.append(("size of data/ (CSV, SQLite, zip)", 0.0, f"{data / 2**20:,.1f} MiB", 0, 0))
    return rows


def peers_cost(count: int) -> Row:
    """Seconds to place every estate among its peers and flag the outliers (peers.group, peers.flags).

    The figures are made from each estate's parameters, as the tests make them;
    a build makes them while it renders each estate and keeps them in its summary.
    """
    from generator import peers
    from generator.config import Comparison
    from generator.model import EstateData
    from generator.profiles import load_profile

    profile, day = load_profile("national"), D(2026, 3, 1)
    figures = []
    for n in range(count):
        data = EstateData.model_validate(document(params(n, count)))
        figures.append(peers.estate_figures(f"estate-{n:05d}", data, [(day, data)], profile, day))
    started = time.perf_counter()
    found = peers.flags(peers.group(figures, Comparison()))
    seconds = time.perf_counter() - started
    return (f"peers and flags of {count} estates", seconds, f"{len(found)} flags", 0, 0)


def measure_dask(sample: Path) -> list[Row]:
    """The sample's cold build with sheets on a Dask cluster of this machine: 1 worker, then 2
    (processes of one thread; the build's own process only plans, stages and writes)."""
    from distributed import LocalCluster

    rows: list[Row] = []
    rates: dict[int, float] = {}
    for workers in (1, 2):
        with LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            cold(sample, sample / "build")
            address = cluster.scheduler_address
            seconds, rss, _ = run_build(sample, sample / "build", "--cluster", address)
        sheets = count(sample / "build", "sheet.pdf")
        rates[workers] = sheets / seconds
        name = f"cold build with PDFs on Dask, {workers} worker(s)"
        add(rows, (name, seconds, f"{rates[workers]:.2f} sheets/s", rss))
    add(rows, ("Dask speed-up, 2 workers over 1", 0.0, f"{rates[2] / rates[1]:.2f}x", 0))
    return rows


def measure_check(root: Path, jobs: tuple[str, str], serial: bool = True) -> list[Row]:
    """check as firms run it: every estate, then again, after one edit, and with one worker."""
    rows: list[Row] = []
    shutil.rmtree(root / CACHE_FOLDER / "checks", ignore_errors=True)
    if serial:
        seconds, rss, _ = run_check(root, "--jobs", "1", "--no-cache")
        add(rows, ("check, every estate, one process, no cache", seconds, "", rss))
    seconds, rss, _ = run_check(root, *jobs)
    add(rows, (f"check, every estate, {jobs[1]} workers, cache filled", seconds, "", rss))
    seconds, rss, line = run_check(root, *jobs)
    add(rows, ("check again, nothing changed", seconds, line[:40], rss))
    votes = root / "content" / "estate-00004" / "votes.yaml"
    if votes.exists():
        votes.write_text(votes.read_text(encoding="utf-8") + "# 核对\n", encoding="utf-8")
    else:
        notice = root / "content" / "estate-00004" / "notices" / "notice-1.md"
        notice.write_text(notice.read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")
    seconds, rss, line = run_check(root, *jobs)
    add(rows, ("check after a one-estate edit", seconds, line[:40], rss))
    return rows


def report(
    rows: list[Row],
    timed: dict[int, float],
    costs: list[tuple[str, float]],
    jobs: int,
) -> None:
    print(f"{'measure':<52}{'wall s':>8}  {'rate':<44}{'peak RSS MiB':>13}{'main MiB':>9}")
    for name, seconds, rate, rss, main in rows:
        print(f"{name:<52}{seconds:>8.2f}  {rate:<44}{rss / 1024:>13.0f}{main / 1024:>9.0f}")
    if timed:
        print(f"PDF speed-up with --jobs {jobs}: {timed[1] / timed[jobs]:.2f}x")
    for name, ms in costs:
        print(f"read one estate, {name}: {ms:.1f} ms")


if __name__ == "__main__":
    main()
