"""What changed, said to residents: a person's change says which role changed hands, never who."""

from __future__ import annotations

import datetime as dt

from generator.diff import tree
from generator.pipeline import build, estate_steps, load_site, release
from generator.render.changes import describe_all

from .conftest import Site

D = dt.date


def test_a_new_stairwell_leader_or_committee_member_is_said_without_a_name(site: Site) -> None:
    site.write(
        "governance.yaml",
        (site.estate / "governance.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "    party_member: false\n", "    party_member: false\n    holder: {name: 周宝根}\n"
        ),
    )
    release(site.root, "x", D(2025, 7, 10), "2025-h1", (D(2025, 7, 10), D(2025, 7, 24)))
    governance = (site.estate / "governance.yaml").read_text(encoding="utf-8")
    site.write("governance.yaml", governance.replace("{name: 周宝根}", "{name: 汪永福}"))
    estate = (site.estate / "estate.yaml").read_text(encoding="utf-8")
    site.write("estate.yaml", estate.replace("    - name: 张某某\n", "    - name: 李某某\n"))
    release(site.root, "x", D(2026, 1, 10), "2025-h2", (D(2026, 1, 10), D(2026, 1, 24)))

    loaded = load_site(site.root).estates[0]
    (step,) = estate_steps(loaded)
    old, new = (s.data for s in loaded.releases)
    said = [line.text() for line in describe_all(step.changes, tree(old), tree(new))]
    assert "~ 变更  党建和业委会 · 2号楼楼道长 · 担任者：姓名和电话不公开" in said
    assert "- 删除  基本情况 · 业主委员会 · 成员：姓名和电话不公开" in said
    assert "+ 新增  基本情况 · 业主委员会 · 成员：姓名和电话不公开" in said
    assert not [line for line in said if "周宝根" in line or "汪永福" in line or "某某" in line]

    out = build(site.root, site.root / "out", None, D(2026, 1, 20), with_pdf=False).out
    assert out is not None
    for page in ("x/changes.html", "x/releases/2025-h2/changes.html", "x/feed.xml", "feed.xml"):
        text = (site.root / "out" / page).read_text(encoding="utf-8")
        assert "周宝根" not in text and "汪永福" not in text and "张某某" not in text, page
    assert "姓名和电话不公开" in (site.root / "out" / "x" / "changes.html").read_text(
        encoding="utf-8"
    )
