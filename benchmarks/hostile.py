"""Resource bounds against hostile files: time and peak RSS of ``check`` on oversized input.

Run: .venv/bin/python benchmarks/hostile.py [--keep DIR]

A copy of the demo site is given, in turn, a 50 MB votes.yaml of 1.9 million
small entries (refused on its size before it is read), the same entries cut
to just under the 5 MB limit (refused on its entry count, from the parser's
events, before anything is built), a file of nesting brackets, and, with the
limits raised in site.yaml, the largest votes.yaml the default entry count
allows (20,000 entries: read and validated). Each ``check`` runs as its own
process under /usr/bin/time -v (Debian package ``time``), one worker, no cache;
the table gives wall time and the peak RSS of the process.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
ESTATE = "yun-lian-xin-cun"
ENTRY = "  - {id: v%d, date: 2025-01-01, matter: 维修, scope: estate}\n"
SMALL = "  - {id: v%07d, n: 1}\n"  # 26 bytes: 1.9 million make 50 MB


def votes(path: Path, count: int, entry: str = ENTRY) -> None:
    """A votes.yaml of ``count`` entries (by default a list item of four pairs each)."""
    with path.open("w", encoding="utf-8") as file:
        file.write("votes:\n")
        file.writelines(entry % i for i in range(count))


def measured(site: Path) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB and the first diagnostic of one check."""
    command = [
        "/usr/bin/time", "-v", sys.executable, "-m", "generator", "-C", str(site),
        "check", ESTATE, "--jobs", "1", "--no-cache",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    assert wall and rss, done.stderr
    hours, minutes, seconds = wall.groups()
    total = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    first = next((line for line in done.stdout.splitlines() if ": L0" in line), "")
    return total, int(rss.group(1)) / 1024, first.split(": ")[1] if first else "read and checked"


def loading(path: Path) -> float:
    """Seconds load_file takes to refuse a file, in this process."""
    from generator.load import load_file

    started = time.perf_counter()
    _located, found = load_file(path, path.name)
    assert [d.code for d in found] == ["L009"], found
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="make the site here and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="sunshine-hostile-"))
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    shutil.copytree(REPO / "content", root / "content")
    target = root / "content" / ESTATE / "votes.yaml"
    original = target.read_text(encoding="utf-8")
    cases = []
    votes(target, 1_900_000, SMALL)
    cases.append((f"votes.yaml of {target.stat().st_size / 1e6:.0f} MB, 1.9 M entries",))
    cases[-1] += measured(root)
    alone = loading(target)
    votes(target, 190_000, SMALL)
    cases.append((f"votes.yaml of {target.stat().st_size / 1e6:.1f} MB, 190,000 entries",))
    cases[-1] += measured(root)
    target.write_text("votes: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    cases.append(("100,000 nested brackets",))
    cases[-1] += measured(root)
    votes(target, 3_999)  # 3,999 x 5 + 1 = 19,996 entries: the most the default allows
    cases.append((f"20,000 entries, read ({target.stat().st_size / 1e6:.2f} MB)",))
    cases[-1] += measured(root)
    target.write_text(original, encoding="utf-8")
    cases.append(("the demo estate as it is",))
    cases[-1] += measured(root)
    print(f"{'input':52} {'wall s':>8} {'peak RSS MB':>12}  outcome")
    print(f"{'(the 50 MB file alone, load_file in process)':52} {alone:8.3f} {'':>12}  L009")
    for name, wall, rss, outcome in cases:
        print(f"{name:52} {wall:8.2f} {rss:12.0f}  {outcome}")
    from generator.render.text import notice_html

    for name, body in NOTICES.items():
        started = time.perf_counter()
        notice_html(body)
        print(f"{'notice body rendered: ' + name:52} {time.perf_counter() - started:8.3f}")
    if args.keep is None:
        shutil.rmtree(root)


# notice bodies that once stalled Markdown (10 s and 31 s), now shown as plain text
NOTICES = {
    "2,000 nested brackets (8 KB)": "[" * 2000 + "x" + "]" * 2000,
    "8,000 unclosed links": "[a](" * 8000,
    "5,000 angle brackets": "<a " * 5000,
    "200 links, 200 angle brackets (the most allowed)": "[a](" * 200 + "<a " * 200,
}


if __name__ == "__main__":
    main()
