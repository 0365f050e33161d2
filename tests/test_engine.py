"""The build's engine: the plan alone, builds day after day, the state kept outside the output,
and the same plan on a Dask cluster."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from generator import incremental
from generator.cache import CACHE_FOLDER, Cache
from generator.config import SiteConfig
from generator.errors import Diagnostic, Location
from generator.incremental import Inputs, Made, Previous, plan, remembered, state_of
from generator.pipeline import build, release
from generator.scaffold import new_estate

from .conftest import Site, run_git

DAY = dt.date(2025, 9, 20)


def inputs(prints: dict[str, str], day: dt.date = DAY, site: str = "site", **kw: object) -> Inputs:
    config = SiteConfig(title="测试站点", base_url="https://example.org/")
    held: dict[str, list[Diagnostic]] = kw.get("held", {})  # type: ignore[assignment]
    frozen: set[str] = kw.get("frozen", set())  # type: ignore[assignment]
    return Inputs(
        Path("/site"), config, day, None, site, "", sorted(prints), prints, {}, held, frozen
    )


def previous(
    made: dict[str, tuple[str, int, int]], day: dt.date = DAY, site: str = "site"
) -> Previous:
    """What the last build made, each estate's span in days around DAY."""
    spans = {
        i: Made(fp, DAY + dt.timedelta(days=a), DAY + dt.timedelta(days=b))
        for i, (fp, a, b) in made.items()
    }
    return Previous(site=site, as_of=day, made=spans)


# -- the plan alone -------------------------------------------------------------------------------


def test_the_same_inputs_on_the_same_day_are_up_to_date() -> None:
    todo = plan(
        inputs({"x": "a", "y": "b"}), previous({"x": ("a", -5, 5), "y": ("b", -1, 1)}), True
    )
    assert todo.up_to_date and todo.carry == ["x", "y"] and todo.render == []


def test_a_new_day_inside_every_span_renders_nothing_but_is_a_build() -> None:
    """The site's pages (the index, the street overview, the feeds) say the day: they change."""
    day = DAY + dt.timedelta(days=1)
    todo = plan(
        inputs({"x": "a", "y": "b"}, day), previous({"x": ("a", -5, 5), "y": ("b", -1, 2)}), True
    )
    assert todo.render == [] and todo.carry == ["x", "y"]
    assert not todo.up_to_date and todo.in_place


def test_a_day_past_an_estates_span_renders_that_estate_alone() -> None:
    day = DAY + dt.timedelta(days=3)
    todo = plan(
        inputs({"x": "a", "y": "b"}, day), previous({"x": ("a", -5, 5), "y": ("b", -1, 3)}), True
    )
    assert todo.render == ["y"] and todo.carry == ["x"] and todo.in_place


def test_changed_inputs_render_that_estate_and_new_ones_theirs() -> None:
    todo = plan(
        inputs({"x": "a2", "y": "b", "z": "c"}),
        previous({"x": ("a", -5, 5), "y": ("b", -5, 5)}),
        True,
    )
    assert todo.render == ["x", "z"] and todo.carry == ["y"]


def test_a_removed_estate_is_a_build_not_up_to_date() -> None:
    todo = plan(inputs({"x": "a"}), previous({"x": ("a", -5, 5), "y": ("b", -5, 5)}), True)
    assert todo.carry == ["x"] and todo.render == [] and not todo.up_to_date


def test_another_site_fingerprint_or_no_output_renders_everything_anew() -> None:
    made = previous({"x": ("a", -5, 5)})
    for todo in (
        plan(inputs({"x": "a"}, site="new theme"), made, True),
        plan(inputs({"x": "a"}), made, False),
    ):
        assert todo.render == ["x"] and todo.carry == [] and not todo.in_place


def test_a_held_back_estate_stays_online_as_last_published() -> None:
    """Held back with an error in a snapshot: not rendered; what the last build made stays."""
    error = Diagnostic("L001", Location("content/x/releases/2025-h1.json", 1, 1), "坏了")
    held = inputs({"x": "a2", "y": "b"}, held={"x": [error]}, frozen={"x"})
    todo = plan(held, previous({"x": ("a", -5, 5), "y": ("b", -5, 5)}), True)
    assert todo.online == ["x"] and todo.render == [] and todo.carry == ["y"]
    assert not todo.up_to_date  # the overview now marks it


# -- builds day after day -------------------------------------------------------------------------

FEE_RISE = """\
      - from: 2020-01-01
        to: 2025-09-30
        amount: 150.00
        regime: 市场调节价
        basis: {kind: 业主大会决议, ref: 2019 年业主大会决议}
      - from: 2025-10-01
        amount: 180.00
        regime: 市场调节价
        basis: {kind: 业主大会决议, ref: 2025 年第一次业主大会决议, date: 2025-05-20, vote: vote-2025-fee}
        posted: 2025-05-25
"""


def two_estates_one_rise(site: Site) -> Path:
    """Estates x and y released on 2025-07-10; x's parking fee rises on 2025-10-01."""
    fees = site.estate / "fees.yaml"
    text = fees.read_text(encoding="utf-8")
    old = FEE_RISE.split("      - from: 2025-10-01")[0].replace("        to: 2025-09-30\n", "")
    assert old in text
    fees.write_text(text.replace(old, FEE_RISE), encoding="utf-8")
    new_estate(site.root, "y", "第二小区")
    run_git(site.root, "add", ".")
    run_git(site.root, "commit", "-q", "-m", "y")
    for estate in ("x", "y"):
        release(
            site.root,
            estate,
            dt.date(2025, 7, 10),
            "2025-h1",
            (dt.date(2025, 7, 10), dt.date(2025, 7, 24)),
        )
    return site.root / "public"


def files(out: Path) -> dict[str, tuple[int, bytes]]:
    return {
        p.relative_to(out).as_posix(): (p.stat().st_ino, p.read_bytes())
        for p in out.rglob("*")
        if p.is_file()
    }


def estate_files(found: dict[str, tuple[int, bytes]]) -> dict[str, tuple[int, bytes]]:
    return {
        p: v
        for p, v in found.items()
        if p.split("/")[0] in {"x", "y"} or p.startswith(("en/x/", "en/y/"))
    }


def test_builds_on_consecutive_days_render_only_what_the_day_changes(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.render import citydata

    made: list[int] = []
    city_files = citydata.city_files
    monkeypatch.setattr(citydata, "city_files", lambda *a: made.append(1) or city_files(*a))
    out = two_estates_one_rise(site)
    first = build(site.root, out, None, DAY, with_pdf=False)
    assert first.rendered == ["x", "y"]
    before = files(out)
    data = {p.name: p.stat().st_ino for p in (out / "data").iterdir()}
    assert "sunshine.db" in data

    next_day = build(site.root, out, None, DAY + dt.timedelta(days=1), with_pdf=False)
    assert next_day.rendered == [] and next_day.carried == ["x", "y"] and not next_day.up_to_date
    assert {p.name: p.stat().st_ino for p in (out / "data").iterdir()} == data
    assert made == [1]  # data/ made once: the next day's is the same, carried
    after = files(out)
    assert estate_files(after) == estate_files(before)  # every page and sheet the same file
    changed = {p for p in after.keys() | before.keys() if after.get(p) != before.get(p)}
    assert changed and not estate_files({p: after[p] for p in changed if p in after})

    fees = (out / "x" / "fees.html").read_text(encoding="utf-8")
    assert "150.00" in fees and "2025年10月1日" in fees  # in force, and the rise announced
    rise = build(site.root, out, None, dt.date(2025, 10, 1), with_pdf=False)
    assert rise.rendered == ["x"] and rise.carried == ["y"]  # y's pages hold on that day too
    index = (out / "x" / "index.html").read_text(encoding="utf-8")
    assert "180.00" in index
    assert estate_files(files(out)).keys() >= {p for p in estate_files(after) if p.startswith("y/")}
    assert {p: v for p, v in estate_files(files(out)).items() if p.startswith(("y/", "en/y/"))} == {
        p: v for p, v in estate_files(after).items() if p.startswith(("y/", "en/y/"))
    }


def test_the_build_state_is_data_kept_outside_the_output(site: Site) -> None:
    out = two_estates_one_rise(site)
    build(site.root, out, None, DAY, cache=Cache(site.root / CACHE_FOLDER))
    published = [p for p in out.rglob("*") if p.is_file()]
    assert published and not [p for p in out.rglob(".sunshine*")]
    assert not [p for p in published if p.read_bytes()[:2] in (b"\x80\x04", b"\x80\x05")]  # pickle
    store = state_of(site.root, out)
    assert not store.folder.is_relative_to(out)
    kept = [p for p in (site.root / CACHE_FOLDER).rglob("*") if p.is_file()]
    for path in kept:  # JSON or the files it names: nothing there is executed when read
        data = path.read_bytes()
        assert data[:2] not in (b"\x80\x04", b"\x80\x05"), path
        if path.suffix == ".json" or path.parent.name in ("estates",):
            json.loads(data)
    record = remembered(store)
    assert sorted(record.made) == ["x", "y"] and record.as_of == DAY


def test_an_estate_record_that_names_a_class_not_kept_is_refused(site: Site) -> None:
    """The state names its dataclasses by name; only those registered are made from it."""
    from generator import state

    with pytest.raises(KeyError):
        state.loads(b'{"$c":"Popen","f":{"args":"rm -rf /"}}')
    assert state.loads(state.dumps({"d": dt.date(2025, 1, 1), "t": (1, "a")})) == {
        "d": dt.date(2025, 1, 1),
        "t": (1, "a"),
    }


def test_a_map_of_rows_is_kept_as_plain_json_and_read_back_as_tuples() -> None:
    """A build's file stats (40,000 at 10,000 estates) and an estate's files are maps of
    text to rows: kept as JSON has them, not tagged value by value, and tuples again when
    read; anything else in their place is refused, not half read."""
    from generator import state

    stats = {"a/estate.yaml": (12, 1_700_000_000_000_000_000, "ab" * 32), "b": (0, 1, "c")}
    packed = state.dumps({"stats": stats, "mixed": {"d": (dt.date(2025, 1, 1),)}})
    assert b'"$r":{"a/estate.yaml":[12,1700000000000000000,"' in packed
    assert state.loads(packed) == {"stats": stats, "mixed": {"d": (dt.date(2025, 1, 1),)}}
    assert state.encode({"t": (True, 1)}) == {"$m": [["t", {"$u": [True, 1]}]]}  # a bool stays
    for tampered in (b'{"$r":[1,2]}', b'{"$r":{"a":3}}'):
        with pytest.raises(ValueError):
            state.loads(tampered)


def test_bytes_and_a_summarys_figures_and_tables_are_kept_as_tagged_json(site: Site) -> None:
    """An estate's data tables are packed bytes: base64 under "$b", and back the same bytes."""
    from generator import state
    from generator.build import EstateSummary
    from generator.peers import Figures

    packed = b"\x00\x80\xffzlib"
    assert state.encode(packed) == {"$b": "AID/emxpYg=="}
    assert state.loads(state.dumps({"t": packed, "s": "AID/emxpYg=="})) == {
        "t": packed,
        "s": "AID/emxpYg==",
    }
    with pytest.raises(ValueError):
        state.loads(b'{"$b":"not base64!"}')
    out = two_estates_one_rise(site)
    build(site.root, out, None, DAY, with_pdf=False)
    record = state_of(site.root, out).estate("x")
    assert record is not None
    summary = record["summary"]
    assert isinstance(summary, EstateSummary) and isinstance(summary.figures, Figures)
    assert summary.figures.values["fee_residential"] == Decimal("1.00")
    assert summary.tables and all(isinstance(v, bytes) for v in summary.tables.values())
    assert state.loads(state.dumps(summary)) == summary


PROPERTY_RISE = """\
        posted: 2025-05-25           # 调价公示日期：须在执行前公示
      - from: 2026-01-01
        amount: 1.20
        regime: 市场调节价
        basis: {kind: 业主大会决议, ref: 2025 年第一次业主大会决议, date: 2025-05-20, vote: vote-2025-fee}
        posted: 2025-11-20
"""


def test_the_comparable_fee_follows_the_day_it_comes_into_force(site: Site) -> None:
    """The figures are as of the build's day: the day a fee rises, that estate is rendered and
    data/ and the comparison show the new fee; the day before, the old one."""
    fees = site.estate / "fees.yaml"
    text = fees.read_text(encoding="utf-8")
    old = "        amount: 1.00\n"
    assert text.count(old) == 1
    text = text.replace(old, "        to: 2025-12-31\n" + old)
    fees.write_text(text.replace(PROPERTY_RISE.splitlines(True)[0], PROPERTY_RISE), "utf-8")
    out = two_estates_one_rise(site)

    def fee_on(day: dt.date) -> tuple[list[str], str]:
        made = build(site.root, out, None, day, with_pdf=False)
        listed = json.loads((out / "data" / "estates.json").read_bytes())["estates"]
        shown = {e["id"]: e["figures"].get("fee_residential") for e in listed}
        compared = "".join(p.read_text("utf-8") for p in (out / "compare").glob("*.html"))
        assert f"住宅物业费：{shown['x']} 元/㎡·月" in compared
        return made.rendered, shown["x"]

    assert fee_on(dt.date(2025, 12, 31)) == (["x", "y"], "1.00")
    assert fee_on(dt.date(2026, 1, 1)) == (["x"], "1.20")


# -- on a Dask cluster ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local


def manifest(out: Path) -> dict[str, object]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]  # type: ignore[no-any-return]


def test_a_cluster_build_is_a_local_builds_bytes(site: Site, cluster: object) -> None:
    from distributed import Client

    out = two_estates_one_rise(site)
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    here = build(site.root, out, None, DAY)
    remote = build(site.root, site.root / "remote", None, DAY, cluster=address)
    assert remote.rendered == here.rendered == ["x", "y"]
    assert manifest(site.root / "remote") == manifest(out)
    assert any(p.endswith("sheet.pdf") for p in manifest(out))
    with Client(address) as client:  # the workers read the site from folders of their own
        roots = client.run(lambda: str(incremental._JOB[0].root))
    assert roots and all(not Path(r).is_relative_to(site.root) for r in roots.values())


def test_a_worker_killed_mid_build_loses_nothing(site: Site, cluster: object) -> None:
    from distributed import Client

    out = two_estates_one_rise(site)
    here = build(site.root, out, None, DAY)
    assert here.rendered == ["x", "y"]
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    cache = Cache(site.root / "remote-cache")
    done: list[object] = []
    worker = threading.Thread(
        target=lambda: done.append(
            build(site.root, site.root / "remote", None, DAY, cache=cache, cluster=address)
        )
    )
    killed = None
    with Client(address) as client:
        worker.start()
        deadline = time.monotonic() + 120
        while killed is None and time.monotonic() < deadline and worker.is_alive():
            busy = [w for w, tasks in client.processing().items() if tasks]
            if busy:
                pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed = busy[0]
            time.sleep(0.05)
        worker.join(600)
    assert killed is not None, "no task ever ran on a worker"
    assert done and manifest(site.root / "remote") == manifest(out)


def test_the_digests_a_whole_build_keeps_are_eight_bytes_each() -> None:
    """cache.Shas: the digests of a city's 930,000 files as sorted 64-bit prefixes."""
    import hashlib

    from generator.cache import Shas

    named = [hashlib.sha256(str(n).encode()).hexdigest() for n in range(10_000)]
    other = [hashlib.sha256(f"x{n}".encode()).hexdigest() for n in range(10_000)]
    kept = Shas(named + named[:100])  # named twice: kept once
    assert list(kept.prefixes) == sorted(kept.prefixes)
    assert all(sha in kept for sha in named)
    assert not any(sha in kept for sha in other)
    assert "not a digest" not in kept and "" not in kept and None not in kept
    assert kept.prefixes.itemsize * len(kept.prefixes) == 8 * 10_000


def _twice(n: int) -> int:
    return 2 * n


def test_one_process_makes_each_result_when_the_one_before_is_done_with() -> None:
    """parallel.completed: in one process an estate is rendered when the loop asks for it, so a
    build with --jobs 1 holds one estate's result at a time, not every estate's at once;
    worker processes get a few calls each at a time, the next as each completes, so that
    answers not yet taken never pile up (workers faster than the loop: a build restoring
    every estate from the cache)."""
    from generator.parallel import AHEAD, Here, completed, workers

    made: list[int] = []

    def task(n: int) -> int:
        made.append(n)
        return n

    results = completed(Here(), task, [(1,), (2,), (3,)])
    assert made == []
    assert next(results).result() == 1 and made == [1]
    assert [f.result() for f in results] == [2, 3] and made == [1, 2, 3]
    with workers(2, lambda: None, ()) as pool:
        assert sorted(f.result() for f in completed(pool, _twice, [(1,), (2,), (3,)])) == [2, 4, 6]
        handed = [0]
        submit = pool.submit

        def counted(*args: Any) -> Any:
            handed[0] += 1
            return submit(*args)

        pool.submit = counted  # type: ignore[method-assign]
        taken, most = [], 0
        for future in completed(pool, _twice, [(n,) for n in range(200)]):
            taken.append(future.result())
            most = max(most, handed[0] - len(taken))
            time.sleep(0.002)  # the loop slower than the workers
        assert sorted(taken) == [2 * n for n in range(200)]
        assert 0 < most < 2 * AHEAD * 2  # a window in the works, at most one done and untaken


def test_work_begun_ahead_hands_back_its_answer_or_is_done_here() -> None:
    """parallel.Ahead works a call out in a forked process; a child that fails leaves it to
    this process; an answer no one reads does not keep its process waiting."""
    from generator.parallel import Ahead, Begun

    parent = os.getpid()
    assert Ahead(_twice, 21).result() == 42
    assert Ahead(_where, parent).result() == "here"  # failed in the child: worked out here
    big = Ahead(bytes, 50_000_000)  # far more than a pipe holds
    endless = Ahead(time.sleep, 600)  # a walk of far more than was meant, say
    started = time.perf_counter()
    big.close()
    endless.close()
    assert time.perf_counter() - started < 10
    keys = iter(["a", "b", "b"])
    begun = Begun(lambda: os.getpid(), lambda: next(keys))
    begun.begin()  # for "a"
    assert begun() == parent  # asked for "b": worked out here
    assert set(begun.begun) == {"a"}  # still waits for its call
    begun.begun.pop("a").close()


def _where(parent: int) -> str:
    if os.getpid() != parent:
        raise RuntimeError("not here")
    return "here"
