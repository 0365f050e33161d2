"""The command line: click only. Parse options, call the library, map errors to exit codes.

Exit codes: 0 success; 1 the content has errors (or warnings under --strict);
2 usage error (bad option, no site.yaml, an id that exists); 3 the machine
cannot do the job (see ``doctor``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import i18n, pipeline, scaffold
from .cache import CACHE_FOLDER, Cache
from .errors import ContentError, Diagnostic, GeneratorError, Severity, UsageError
from .i18n import _

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_MACHINE = 0, 1, 2, 3


def _site(ctx: click.Context) -> Path:
    root: Path = ctx.obj["root"]
    if not (root / "site.yaml").is_file():
        raise click.UsageError(f"no site.yaml in {root}: run inside a site folder or pass -C DIR")
    return root


def _guard(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into messages and exit codes, in one place."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ContentError as exc:
            _print_diagnostics(exc.diagnostics, strict=False, as_json=False)
            sys.exit(EXIT_CONTENT)
        except UsageError as exc:
            raise click.UsageError(str(exc)) from None
        except GeneratorError as exc:
            raise click.ClickException(str(exc)) from None

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


@click.group()
@click.option(
    "-C",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    help="Run as if started in DIR (the folder holding site.yaml).",
)
@click.option(
    "--lang",
    type=click.Choice(i18n.LANGUAGES),
    default=None,
    help="Language of messages (default: zh-CN; en under an English locale).",
)
@click.version_option(package_name="sunshine")
@click.pass_context
def main(ctx: click.Context, directory: Path, lang: str | None) -> None:
    """sunshine: publish sunshine-property (阳光物业) disclosures as a website, PDF sheets and audit diffs."""
    i18n.use(lang or i18n.from_environment())
    if not directory.is_dir():
        raise click.UsageError(f"-C {directory}: no such folder")
    ctx.obj = {"root": directory.resolve()}


def _progress() -> Callable[[str, int, int], None]:
    """A one-line progress bar on the terminal (silent when output is not a terminal)."""

    def show(what: str, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        click.echo(
            f"\r{what} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
            nl=done >= total,
            err=True,
        )

    return show


def _print_diagnostics(diagnostics: list[Diagnostic], strict: bool, as_json: bool) -> None:
    errors = sum(1 for d in diagnostics if d.fails(strict))
    warnings = sum(1 for d in diagnostics if d.severity is Severity.WARNING and not d.fails(strict))
    if as_json:
        payload = {
            "errors": errors,
            "warnings": warnings,
            "diagnostics": [d.as_dict() for d in diagnostics],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for d in diagnostics:
        click.echo(d.format(strict), err=False)
    notes = len(diagnostics) - errors - warnings
    summary = (
        _("{errors} 个错误，{warnings} 个警告", errors=errors, warnings=warnings)
        if errors or warnings
        else _("没有发现问题")
    )
    summary += _("（另有 {notes} 条提示）", notes=notes) if notes else ""
    click.echo(summary, err=True)


@main.command()
@click.argument("estates", nargs=-1, metavar="[ESTATE_ID]...")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Evaluate the rule profiles as of this day (default: SOURCE_DATE_EPOCH or today).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format."
)
@click.option(
    "--full", is_flag=True, help="Read and check every estate again, whatever the cache holds."
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    help="Worker processes (default: one per core).",
)
@click.option(
    "--no-cache",
    "no_cache",
    is_flag=True,
    help=f"Neither use nor fill the cache of findings ({CACHE_FOLDER}/checks/).",
)
@click.pass_context
@_guard
def check(
    ctx: click.Context,
    estates: tuple[str, ...],
    strict: bool,
    as_of: Any,
    fmt: str,
    full: bool,
    jobs: int,
    no_cache: bool,
) -> None:
    """Validate every estate (or those named); print each problem as path:line:col: CODE message.

    Only estates changed since the last check are read again; the output is
    what a check of every estate prints. Exits 0 when clean, 1 on errors
    (and on warnings with --strict), 2 on usage errors.

    Example: sunshine check --strict
    """
    from .checking import check as check_estates
    from .clock import today
    from .parallel import cores

    root = _site(ctx)
    day = as_of.date() if as_of else today()
    cache = None if no_cache else Cache(root / CACHE_FOLDER)
    if cache is not None and full:
        cache.keep_only_findings(set())
    checked = check_estates(root, day, estates, cores(jobs), cache)
    diagnostics = checked.diagnostics
    if fmt != "json":
        click.echo(_("（各小区的工作副本已按 {day} 发布的下一期审核）", day=day), err=True)
        if checked.kept:
            click.echo(
                _(
                    "重新核对了 {checked} 个有改动的小区；其余 {kept} 个没有改动，沿用上次的结果（--full 全部重新核对）",
                    checked=len(checked.checked),
                    kept=len(checked.kept),
                ),
                err=True,
            )
    _print_diagnostics(diagnostics, strict, fmt == "json")
    failed = any(d.fails(strict) for d in diagnostics)
    sys.exit(EXIT_CONTENT if failed else EXIT_OK)


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: build/).",
)
@click.option(
    "--paper",
    type=click.Choice(["A4", "A3"]),
    default=None,
    help="Paper of the noticeboard sheets (default: site.yaml's paper, A4).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    help="Worker processes (default: one per core).",
)
@click.option(
    "--no-pdf", "no_pdf", is_flag=True, help="Build the website only, without the PDF sheets."
)
@click.option(
    "--no-cache",
    "no_cache",
    is_flag=True,
    help=f"Neither use nor fill the build cache ({CACHE_FOLDER}/ in the site's folder).",
)
@click.pass_context
@_guard
def build(
    ctx: click.Context, out: Path | None, paper: str | None, jobs: int, no_pdf: bool, no_cache: bool
) -> None:
    """Check the content, then build the website into build/ (or --out DIR).

    The old output is replaced only when the new build is complete. What the
    last build made is kept by content in .sunshine-cache/, so that a build
    with no output to start from takes unchanged estates and sheets from
    there instead of rendering them again.

    Example: sunshine build --out /srv/www/sunshine
    """
    from .clock import today
    from .incremental import build as build_changed

    root = _site(ctx)
    target = out if out is not None else root / "build"
    bar = _progress() if sys.stderr.isatty() else None
    cache = None if no_cache else Cache(root / CACHE_FOLDER)
    report = build_changed(root, target, paper, today(), jobs, bar, not no_pdf, cache)
    if report.up_to_date:
        click.echo(f"{target} is up to date ({len(report.carried)} estates)")
    else:
        rendered = len(report.rendered) - len(report.restored)
        click.echo(
            f"built {target}: {rendered} estate(s) rendered, {len(report.restored)} from the cache, {len(report.carried)} carried over, {report.files} files"
        )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, help="Port to listen on (0: any free port)."
)
@click.pass_context
@_guard
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Preview the site locally; rebuild on save and reload the browser.

    Example: sunshine serve --port 8000
    """
    from . import serve as preview

    preview.serve(_site(ctx), pipeline.build, host, port, lambda line: click.echo(line, err=True))


@main.command()
@click.argument("estate_id")
@click.option(
    "--name", default=None, help="The estate's name (小区名称); defaults to a placeholder."
)
@click.pass_context
@_guard
def new(ctx: click.Context, estate_id: str, name: str | None) -> None:
    """Create content/ESTATE_ID from the annotated template; it passes check as is.

    Example: sunshine new yang-guang-yuan --name 阳光苑
    """
    folder = scaffold.new_estate(_site(ctx), estate_id, name)
    click.echo(f"created {folder}: edit its files, then run 'sunshine check'")


@main.command()
@click.argument("estate_id")
@click.option("--id", "release_id", required=True, help="The new release's id, e.g. 2025-q3.")
@click.option(
    "--date",
    "release_date",
    type=click.DateTime(["%Y-%m-%d"]),
    required=True,
    help="Release date (YYYY-MM-DD).",
)
@click.option(
    "--posting-from",
    type=click.DateTime(["%Y-%m-%d"]),
    required=True,
    help="First day of the posting period (公示期).",
)
@click.option(
    "--posting-to",
    type=click.DateTime(["%Y-%m-%d"]),
    required=True,
    help="Last day of the posting period.",
)
@click.pass_context
@_guard
def release(
    ctx: click.Context,
    estate_id: str,
    release_id: str,
    release_date: Any,
    posting_from: Any,
    posting_to: Any,
) -> None:
    """Freeze ESTATE_ID's current data as a new, immutable release snapshot.

    Refuses when the estate has errors or the release id exists.

    Example: sunshine release yun-tai-yi-cun --id 2025-q3 --date 2025-10-10 --posting-from 2025-10-10 --posting-to 2025-10-24
    """
    path = pipeline.release(
        _site(ctx),
        estate_id,
        release_date.date(),
        release_id,
        (posting_from.date(), posting_to.date()),
    )
    click.echo(f"wrote {path}: commit it; it must never be edited")


@main.command()
@click.argument("estate_id")
@click.argument("old_id")
@click.argument("new_id")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format."
)
@click.pass_context
@_guard
def diff(ctx: click.Context, estate_id: str, old_id: str, new_id: str, fmt: str) -> None:
    """Show what changed in ESTATE_ID from release OLD_ID to NEW_ID, and the audit findings.

    NEW_ID may be 'current', the working copy. Exits 1 when the audit finds errors.

    Example: sunshine diff jia-he-jin-yuan 2025-h2 2026-h1
    """
    from .diff import tree
    from .render.changes import describe_all

    root = _site(ctx)
    step, old, new = pipeline.diff_data(root, estate_id, old_id, new_id)
    lines = describe_all(step.changes, tree(old), tree(new))
    if fmt == "json":
        payload = {
            "estate": estate_id,
            "from": old_id,
            "to": new_id,
            "changes": [
                c.as_dict() | {"text": line.text()}
                for c, line in zip(step.changes, lines, strict=True)
            ],
            "findings": [f.as_dict() for f in step.findings],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        colours = {"added": "green", "removed": "red", "changed": "yellow"}
        click.echo(f"{estate_id}: {old_id} → {new_id}, {len(lines)} change(s)")
        for line in lines:
            click.echo(click.style(line.text(), fg=colours[line.kind]))
        for finding in step.findings:
            click.echo(click.style(finding.format(), fg="red" if finding.fails() else "magenta"))
    sys.exit(EXIT_CONTENT if any(f.fails() for f in step.findings) else EXIT_OK)


@main.command()
@click.pass_context
@_guard
def doctor(ctx: click.Context) -> None:
    """Check that this machine can build: fonts for Chinese, HarfBuzz, the content's characters.

    Exits 0 when everything is in place, 3 when something is missing.

    Example: sunshine doctor
    """
    from .doctor import diagnose

    root: Path = ctx.obj["root"]
    findings = diagnose(root if (root / "site.yaml").is_file() else None)
    for f in findings:
        click.echo(f"{'ok' if f.ok else 'MISSING':8} {f.what}: {f.detail}")
    sys.exit(EXIT_OK if all(f.ok for f in findings) else EXIT_MACHINE)


@main.command()
@click.pass_context
@_guard
def schemas(ctx: click.Context) -> None:
    """Write the JSON Schema of every content file into schemas/ (for editors).

    Example: sunshine schemas
    """
    written = scaffold.write_schemas(_site(ctx))
    click.echo(f"wrote {len(written)} schemas into schemas/")


if __name__ == "__main__":  # pragma: no cover
    main()
