from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.errors import ContentError, UsageError
from generator.pipeline import load_site, release
from generator.releases import _identical, content_hash, document_hash, fingerprint, stored_hash

from .conftest import Site

POSTING = (dt.date(2025, 7, 10), dt.date(2025, 7, 24))


def test_release_writes_a_canonical_snapshot_that_loads_back(site: Site) -> None:
    path = release(site.root, "x", dt.date(2025, 7, 10), "2025-h1", POSTING)
    text = path.read_text(encoding="utf-8")
    document = json.loads(text)
    assert list(document) == sorted(document)
    assert document["format"] == "sunshine.release/1"
    assert document["release"]["posting"] == {"from": "2025-07-10", "to": "2025-07-24"}
    assert [s["role"] for s in document["release"]["signers"]] == ["物业服务企业", "业主委员会"]
    loaded = load_site(site.root)
    assert loaded.diagnostics == []
    (snapshot,) = loaded.estates[0].releases
    assert snapshot.sha256 == content_hash(snapshot.release, snapshot.data)
    assert len(fingerprint(snapshot.sha256)) == 12
    # the snapshot holds the working copy as it was, down to the notice bodies
    assert snapshot.data == loaded.estates[0].data


def test_snapshot_bytes_are_deterministic(
    site: Site, tmp_path_factory: pytest.TempPathFactory
) -> None:
    first = release(site.root, "x", dt.date(2025, 7, 10), "2025-h1", POSTING).read_bytes()
    other = Site(tmp_path_factory.mktemp("other"))
    second = release(other.root, "x", dt.date(2025, 7, 10), "2025-h1", POSTING).read_bytes()
    assert first == second


def test_release_refuses_an_existing_id(site: Site) -> None:
    path = release(site.root, "x", dt.date(2025, 7, 10), "2025-h1", POSTING)
    before = path.read_bytes()
    with pytest.raises(UsageError, match="已经存在：已发布的期次不能替换"):
        release(site.root, "x", dt.date(2025, 8, 1), "2025-h1", POSTING)
    assert path.read_bytes() == before


def test_release_refuses_content_with_errors(site: Site) -> None:
    text = (site.estate / "votes.yaml").read_text(encoding="utf-8")
    site.write("votes.yaml", text.replace("approving: {area: 7100.00", "approving: {area: 9100.00"))
    with pytest.raises(ContentError) as caught:
        release(site.root, "x", dt.date(2025, 7, 10), "2025-h1", POSTING)
    assert [d.code for d in caught.value.diagnostics] == ["V001"]
    assert not (site.estate / "releases").exists()


def test_release_of_unknown_estate_is_a_usage_error(site: Site) -> None:
    with pytest.raises(UsageError, match="内容目录里没有小区“nope”"):
        release(site.root, "nope", dt.date(2025, 7, 10), "2025-h1", POSTING)


def test_edited_snapshot_fails_its_hash(site: Site) -> None:
    path = release(site.root, "x", dt.date(2025, 7, 10), "2025-h1", POSTING)
    path.write_text(
        path.read_text(encoding="utf-8").replace('"4900.00"', '"4990.00"'), encoding="utf-8"
    )
    assert site.found() == [("releases/2025-h1.json", 1, 1, "R001")]


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(st.dictionaries(st.text(max_size=8), _JSON, max_size=4), st.sampled_from(["right", "wrong"]))
def test_the_quick_hash_is_json_s_hash(document: dict[str, object], said: str) -> None:
    """Floats orjson writes otherwise (1e-05), integers past 64 bits, lone surrogates, NaN:
    the hash a check compares is json's whether the snapshot says the right one or not."""
    try:
        expected = document_hash(document)
    except UnicodeEncodeError:  # a lone surrogate: json cannot hash it either
        with pytest.raises(UnicodeEncodeError):
            stored_hash(document, "0" * 64)
        return
    claimed = expected if said == "right" else "0" * 64
    assert stored_hash(document, claimed) == expected


def test_snapshot_renamed_or_broken(site: Site) -> None:
    path = release(site.root, "x", dt.date(2025, 7, 10), "2025-h1", POSTING)
    text = path.read_text(encoding="utf-8")
    path.rename(path.with_name("2025-h2.json"))
    (path.parent / "bad.json").write_text(text[:-20], encoding="utf-8")
    (path.parent / "wrong.json").write_text(
        json.dumps({"format": "sunshine.release/1"}), encoding="utf-8"
    )
    found = site.found()
    assert ("releases/2025-h2.json", 1, 1, "I004") in found
    assert [f for f in found if f[0] == "releases/bad.json"][0][3] == "L007"
    assert {f[3] for f in found if f[0] == "releases/wrong.json"} == {"R002"}


def test_release_refuses_bad_ids_and_periods(site: Site) -> None:
    with pytest.raises(UsageError, match="期次编号“Bad_ID”不能用"):
        release(site.root, "x", dt.date(2025, 7, 10), "Bad_ID", POSTING)
    with pytest.raises(UsageError, match="早于第一天"):
        release(site.root, "x", dt.date(2025, 7, 10), "2025-h1", (POSTING[1], POSTING[0]))


def two_releases(site: Site) -> None:
    release(site.root, "x", dt.date(2025, 7, 10), "2025-h1", POSTING)
    second = (dt.date(2025, 8, 10), dt.date(2025, 8, 24))
    release(site.root, "x", dt.date(2025, 8, 10), "2025-h2", second)


def test_consecutive_snapshots_share_their_equal_sections(site: Site) -> None:
    """An unchanged section is validated once and taken whole into the next snapshot."""
    two_releases(site)
    loaded = load_site(site.root)
    assert loaded.diagnostics == []
    first, second = loaded.estates[0].releases
    assert second.data.estate is first.data.estate
    assert second.data == first.data  # the same values as validating it anew


def test_a_section_equal_only_by_value_is_validated_anew() -> None:
    """1, 1.0 and true are equal to Python but not in a snapshot: each validates (and hashes)
    as written, so none stands in for another."""
    assert _identical({"a": [1, "x", None]}, {"a": [1, "x", None]})
    assert not _identical({"a": 1}, {"a": 1.0})
    assert not _identical({"a": 1}, {"a": True})
    assert not _identical({"a": 0.0}, {"a": -0.0})
    assert not _identical({"a": 1}, {"a": 2})


def test_a_retyped_section_of_a_later_snapshot_is_still_checked(site: Site) -> None:
    """A later snapshot whose section differs from the earlier one's only in a value's type is
    validated on its own: a count written as 1234.0 is refused, not taken from the earlier."""
    two_releases(site)
    path = site.estate / "releases" / "2025-h2.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    households = document["data"]["estate"]["households"]
    assert isinstance(households, int)
    document["data"]["estate"]["households"] = float(households)
    path.write_text(json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
    loaded = load_site(site.root)
    assert [(d.code, d.location.file) for d in loaded.diagnostics] == [
        ("R002", "content/x/releases/2025-h2.json")
    ]
    assert [s.release.id for s in loaded.estates[0].releases] == ["2025-h1"]
