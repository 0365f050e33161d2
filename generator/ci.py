"""Ready pipeline files that check, build and publish a site: GitHub Actions and GitLab CI.

The files are templates in ``scaffold/ci/``: each installs the system
packages and sunshine, restores the build cache (``.sunshine-cache/``)
between runs, runs ``check`` and ``build``, copies the output without the
build's state into ``public/`` and publishes that (GitHub Pages, GitLab
Pages); commented steps show a firm's or street office's own server (rsync
over SSH) and object storage (Aliyun OSS, Tencent COS). docs/publish.zh.md
says which to choose and how to keep the printed QR codes pointing home.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from .errors import UsageError
from .i18n import _

# host -> (template in scaffold/ci/, where the host reads it in the site)
PIPELINES: dict[str, tuple[str, str]] = {
    "github": ("github.yml", ".github/workflows/sunshine.yml"),
    "gitlab": ("gitlab.yml", ".gitlab-ci.yml"),
}
PUBLIC = "public"  # the folder published: the build's output without its state


def pipeline_text(host: str) -> str:
    """The pipeline file for a host ('github' or 'gitlab')."""
    template, _target = PIPELINES[host]
    return (resources.files("generator") / "scaffold" / "ci" / template).read_text(encoding="utf-8")


def write_pipelines(site: Path, hosts: Iterable[str], replace: bool = False) -> list[Path]:
    """Write the pipeline file of each host into the site; refuse to replace one unless asked."""
    written = []
    for host in hosts:
        path = site / PIPELINES[host][1]
        if path.exists() and not replace:
            raise UsageError(_("{path} 已存在：要用新的替换它，请加 --force", path=path))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(pipeline_text(host), encoding="utf-8")
        written.append(path)
    return written
