"""Audit findings between two releases: each code raised by a pair made for it, none by a clean pair."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.errors import CODES, Diagnostic
from generator.pipeline import estate_steps, load_site, release
from generator.releases import document_hash, write_snapshot

from .conftest import Site

FUND = "accounts/maintenance-fund/2025-h1.yaml"
R1 = (dt.date(2025, 7, 10), "2025-h1", (dt.date(2025, 7, 10), dt.date(2025, 7, 24)))
R2 = (dt.date(2026, 1, 10), "2025-h2", (dt.date(2026, 1, 10), dt.date(2026, 1, 24)))

NEXT_FUND = """\
period: {{from: 2025-07-01, to: 2025-12-31}}
opening: 898900.00
income:
  - {{id: mf-2025-003, date: 2025-12-21, category: 利息, amount: 4400.00, summary: 2025 年下半年专户利息}}
expenditure:
{spending}
closing: {closing}
"""
LIFT = "  - {id: mf-2025-004, date: 2025-11-02, category: 维修工程, amount: 700000.00, summary: 2 号楼外墙, project: 2 号楼外墙修缮, contractor: 某建设公司, split: 按面积分摊, vote: vote-2025-roof}"


def edit(site: Site, relative: str, old: str, new: str) -> None:
    path = site.estate / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def findings(site: Site, change: Callable[[Site], None], checked: bool = True) -> list[Diagnostic]:
    """Release, change the working copy, release again; the audit's findings between the two."""
    release(site.root, "x", *R1)
    change(site)
    if checked:
        release(site.root, "x", *R2)
    else:  # written as a tool without checks would: the audit must still see it
        loaded = load_site(site.root)
        data = loaded.estates[0].data
        assert data is not None
        from generator.model.notices import Release

        meta = Release.model_validate(
            {
                "id": R2[1],
                "date": R2[0],
                "posting": {"from": R2[2][0], "to": R2[2][1]},
                "signers": [{"role": "物业服务企业", "name": "x"}],
            }
        )
        write_snapshot(site.estate, meta, data)
    (step,) = estate_steps(load_site(site.root).estates[0])
    return step.findings


def raise_parking_fee(s: Site, amount: str, basis: str, extra: str = "") -> None:
    """End the ground-parking price at 2025-12-31 and add a new one from 2026-01-01."""
    edit(
        s,
        "fees.yaml",
        "        amount: 150.00\n",
        "        to: 2025-12-31\n        amount: 150.00\n",
    )
    old = "        basis: {kind: 业主大会决议, ref: 2019 年业主大会决议}\n"
    added = f"      - from: 2026-01-01\n        amount: {amount}\n        regime: 市场调节价\n        basis: {{kind: 业主大会决议, ref: {basis}}}\n{extra}"
    edit(s, "fees.yaml", old, old + added)


def line_of(site: Site, finding: Diagnostic) -> str:
    """The line of the newer snapshot a finding points at."""
    assert finding.location.file == f"content/x/releases/{R2[1]}.json"
    return (
        (site.estate / "releases" / f"{R2[1]}.json")
        .read_text(encoding="utf-8")
        .splitlines()[finding.location.line - 1]
    )


def test_clean_pair_raises_nothing(site: Site) -> None:
    def next_period(s: Site) -> None:
        s.write(
            "accounts/maintenance-fund/2025-h2.yaml",
            NEXT_FUND.format(spending="  []", closing="903300.00").replace(
                "expenditure:\n  []", "expenditure: []"
            ),
        )
        raise_parking_fee(s, "160.00", "2025 年第二次业主大会决议", "        posted: 2025-11-20\n")
        edit(s, "contracts.yaml", "      value: 219300.00", "      value: 241650.00")
        edit(
            s,
            "contracts.yaml",
            "        amount: {value: 241650.00, per: 年}\n",
            "        amount: {value: 241650.00, per: 年}\n      - id: amendment-2025-b\n        date: 2025-12-01\n        summary: 年金额按新标准计\n",
        )

    assert findings(site, next_period) == []


def test_h001_a_published_entry_changed(site: Site) -> None:
    found = findings(
        site,
        lambda s: edit(
            s, FUND, "summary: 2025 年上半年专户利息", "summary: 2025 年上半年专户利息（更正）"
        ),
    )
    assert [f.code for f in found] == ["H001"]
    assert "mf-2025-001" in found[0].message and "changed after release 2025-h1" in found[0].message
    assert '"summary": "2025 年上半年专户利息（更正）"' in line_of(site, found[0])


def test_h001_a_published_entry_vanished(site: Site) -> None:
    def drop(s: Site) -> None:
        edit(
            s,
            FUND,
            "income:\n  - id: mf-2025-001\n    date: 2025-06-21\n    category: 利息                  # 首期归集、续筹、利息、公共收益转入 等\n    amount: 4900.00\n    summary: 2025 年上半年专户利息\n",
            "income: []\n",
        )
        edit(s, FUND, "closing: 898900.00", "closing: 894000.00")
        edit(
            s,
            FUND,
            "income: 2450.00, expenditure: 86000.00, closing: 406450.00",
            "income: 0.00, expenditure: 86000.00, closing: 404000.00",
        )
        edit(
            s,
            FUND,
            "income: 2450.00, expenditure: 0.00, closing: 492450.00",
            "income: 0.00, expenditure: 0.00, closing: 490000.00",
        )

    found = findings(site, drop)
    vanished = [f for f in found if "mf-2025-001" in f.message]
    assert [f.code for f in vanished] == ["H001"] and "vanished" in vanished[0].message
    assert {f.code for f in found} == {"H001"}  # the totals of the rewritten statement too
    assert '"2025-h1": {' in line_of(site, vanished[0])


def test_h002_opening_differs_from_previous_closing(site: Site) -> None:
    found = findings(
        site,
        lambda s: s.write(
            "accounts/maintenance-fund/2025-h2.yaml",
            NEXT_FUND.format(spending="  []", closing="903400.00")
            .replace("opening: 898900.00", "opening: 899000.00")
            .replace("expenditure:\n  []", "expenditure: []"),
        ),
        checked=False,
    )
    assert [f.code for f in found] == ["H002"]
    assert '"opening": "899000.00"' in line_of(site, found[0])


def test_h003_fee_raised_on_an_old_basis(site: Site) -> None:
    def raise_fee(s: Site) -> None:
        raise_parking_fee(s, "200.00", "2019 年业主大会决议")

    found = findings(site, raise_fee)
    assert [f.code for f in found] == ["H003"]
    assert "parking-ground" in found[0].message and "150.00 to 200.00" in found[0].message
    assert '"basis": {' in line_of(site, found[0])


def test_h004_contract_amount_changed_without_amendment(site: Site) -> None:
    found = findings(
        site,
        lambda s: edit(s, "contracts.yaml", "      value: 219300.00", "      value: 260000.00"),
    )
    assert [f.code for f in found] == ["H004"]
    assert "service-2024" in found[0].message
    assert '"amount": {' in line_of(site, found[0])


def test_h005_fund_spending_without_a_vote(site: Site) -> None:
    spending = LIFT.replace(", vote: vote-2025-roof", "")
    found = findings(
        site,
        lambda s: s.write(
            "accounts/maintenance-fund/2025-h2.yaml",
            NEXT_FUND.format(spending=spending, closing="203300.00"),
        ),
    )
    assert "H005" in [f.code for f in found]
    h005 = next(f for f in found if f.code == "H005")
    assert "mf-2025-004" in h005.message
    assert '"id": "mf-2025-004"' in line_of(site, h005)


def test_h006_collection_rate_falls(site: Site) -> None:
    statement = (site.estate / "accounts/property-fees/2024.yaml").read_text(encoding="utf-8")
    later = (
        statement.replace("2024-01-01, to: 2024-12-31", "2025-01-01, to: 2025-12-31")
        .replace("received: 201756.00", "received: 175440.00")
        .replace("surplus: 3356.00", "surplus: -22960.00")
    )
    found = findings(site, lambda s: s.write("accounts/property-fees/2025.yaml", later))
    assert [f.code for f in found] == ["H006"]
    assert "92.00% to 80.00%" in found[0].message
    assert '"received": "175440.00"' in line_of(site, found[0])


def test_h007_fund_balance_falls_sharply(site: Site) -> None:
    found = findings(
        site,
        lambda s: s.write(
            "accounts/maintenance-fund/2025-h2.yaml",
            NEXT_FUND.format(spending=LIFT, closing="203300.00"),
        ),
    )
    assert [f.code for f in found] == ["H007"]
    assert '"closing": "203300.00"' in line_of(site, found[0])


def test_every_audit_code_has_a_test() -> None:
    tested = {name.split("_")[1].upper() for name in globals() if name.startswith("test_h0")}
    assert tested == {c for c in CODES if c.startswith("H")}


def test_findings_in_check_and_in_the_cli(site: Site) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    findings(site, lambda s: edit(s, FUND, "summary: 2025 年上半年专户利息", "summary: 改过的利息"))
    result = CliRunner().invoke(main, ["-C", str(site.root), "check"])
    assert result.exit_code == 1
    assert "H001 错误:" in result.output and "content/x/releases/2025-h2.json:" in result.output
    result = CliRunner().invoke(
        main, ["-C", str(site.root), "diff", "x", "2025-h1", "2025-h2", "--format", "json"]
    )
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["changes"][0]["path"] == [
        "accounts",
        "maintenance_fund",
        "2025-h1",
        "income",
        "mf-2025-001",
        "summary",
    ]
    assert (
        payload["changes"][0]["old"] == "2025 年上半年专户利息"
        and payload["changes"][0]["new"] == "改过的利息"
    )
    assert [f["code"] for f in payload["findings"]] == ["H001"]
    result = CliRunner().invoke(main, ["-C", str(site.root), "diff", "x", "2025-h1", "2099"])
    assert (
        result.exit_code == 2
        and "错误：小区“x”没有期次“2099”；可用的有：2025-h1、2025-h2、current（current 表示正在编辑的工作副本）"
        in result.output
    )


def test_rewriting_a_snapshot_with_a_fresh_hash_is_still_caught_by_the_audit(
    site: Site, tmp_path: Path
) -> None:
    release(site.root, "x", *R1)
    release(site.root, "x", *R2)
    path = site.estate / "releases" / f"{R1[1]}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["data"]["accounts"]["maintenance_fund"]["2025-h1"]["income"][0]["amount"] = "4000.00"
    document["sha256"] = document_hash(document)
    path.write_text(
        json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n", encoding="utf-8"
    )
    (step,) = estate_steps(load_site(site.root).estates[0])
    assert [c.path[-1] for c in step.changes] == ["amount"]
    assert [f.code for f in step.findings] == ["H001"]


@pytest.mark.parametrize("code", sorted(c for c in CODES if c.startswith("H")))
def test_audit_codes_are_documented(code: str) -> None:
    from .conftest import REPO

    assert f"| {code} |" in (REPO / "docs" / "diagnostics.md").read_text(encoding="utf-8")
