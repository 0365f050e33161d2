"""The command line: click only. Parse options, call the library, map errors to exit codes.

Exit codes: 0 success; 1 the content has errors (or warnings under --strict), or the
output cannot be written; 2 usage error (bad option, no site.yaml, an id that exists, a
busy port); 3 the machine cannot do the job (see ``doctor``); 4 ``build`` published the
site, but held back estates with errors (each keeps what it had online).

Everything here is written in Chinese, the default language: messages through
``_``, help texts as they are (docstrings, ``help=``, ``metavar=``), translated
when shown; click's own words (Usage:, Error: …) through their own catalog.
"""

from __future__ import annotations

import atexit
import functools
import importlib
import inspect
import json
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from . import i18n
from .cache import CACHE_FOLDER, Cache
from .ci import PIPELINES, write_pipelines
from .errors import ContentError, Diagnostic, GeneratorError, Severity, UsageError
from .i18n import _

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_MACHINE, EXIT_HELD = 0, 1, 2, 3, 4

# click's modules that say something to a user through gettext
CLICK_MODULES = ("core", "exceptions", "types", "formatting", "decorators", "parser", "termui")


def _click_speaks_our_language() -> None:
    """Click's own words go through the click catalog: its modules call gettext by these names."""
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        module._ = i18n.click_text  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = i18n.click_plural  # type: ignore[attr-defined]


_click_speaks_our_language()


class _Chinese:
    """A text written in Chinese beside a command or option, shown in the command line's language."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_zh_{name}"

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            return self
        text = obj.__dict__.get(self.slot)
        return i18n.text(text) if text else text

    def __set__(self, obj: object, value: Any) -> None:
        obj.__dict__[self.slot] = inspect.cleandoc(value) if isinstance(value, str) else value


class Option(click.Option):
    help = _Chinese()
    metavar = _Chinese()


class Argument(click.Argument):
    metavar = _Chinese()


class Command(click.Command):
    help = _Chinese()
    options_metavar = _Chinese()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("context_settings", {"help_option_names": ["-h", "--help"]})
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:  # made once and kept: its help is said in today's language
            option.help = i18n.click_text("Show this message and exit.")
        return option


class Group(Command, click.Group):
    subcommand_metavar = _Chinese()
    command_class = Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        i18n.use(i18n.from_environment())  # --lang, an eager option, may change it
        return super().main(*args, **kwargs)


def run() -> None:
    """The ``sunshine`` command: main, then out. What leaving does is done (atexit handlers,
    output flushed); the interpreter's teardown, freeing every object one by one, is not:
    0.15 to 0.2 s after a check of 1,000 estates. With a thread still running, as usual."""
    # the models use no pydantic plugin: pydantic need not read every installed package's
    # entry points to look for one (0.015 s a run); a value already set is kept
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        main(prog_name="sunshine")
        code: str | int | None = 0
    except SystemExit as leaving:
        code = leaving.code
    if threading.active_count() > 1 or not isinstance(code, int | None):
        sys.exit(code)
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: as Python says it
        sys.exit(code)
    os._exit(code or 0)


option = functools.partial(click.option, cls=Option)
argument = functools.partial(click.argument, cls=Argument)


def help_texts() -> Iterator[tuple[str, str]]:
    """Every Chinese help text of the commands and options, with the command it belongs to."""
    commands: list[click.Command] = [main, *main.commands.values()]
    for command in commands:
        where = f"sunshine {command.name}" if command is not main else "sunshine"
        holders: list[object] = [command, *command.params]
        for holder in holders:
            for slot in (
                "_zh_help",
                "_zh_metavar",
                "_zh_options_metavar",
                "_zh_subcommand_metavar",
            ):
                text = holder.__dict__.get(slot)
                if text:
                    yield text, where


def _site(ctx: click.Context) -> Path:
    root: Path = ctx.obj["root"]
    if not (root / "site.yaml").is_file():
        raise click.UsageError(
            _(
                "{root} 里没有 site.yaml：请在站点目录（放 site.yaml 的目录）里运行，或用 -C 目录 指定；还没有站点时，先运行 sunshine init",
                root=root,
            )
        )
    return root


def _guard(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into messages and exit codes, in one place."""

    @functools.wraps(fn)
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

    return wrapper


def _set_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        i18n.use(value)


@click.group(cls=Group)
@option(
    "--lang",
    type=click.Choice(i18n.LANGUAGES),
    default=None,
    is_eager=True,
    expose_value=False,
    callback=_set_language,
    metavar="语言",
    help="提示信息的语言：zh-CN（中文，默认）或 en（英文）；不写时，英文系统环境（LANG=en_…）用英文。",
)
@option(
    "-C",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    metavar="目录",
    help="在这个目录（放 site.yaml 的站点目录）里运行，如同先 cd 进去。",
)
@click.version_option(
    package_name="sunshine", cls=Option, help="显示版本号后退出。", message="%(prog)s %(version)s"
)
@click.pass_context
def main(ctx: click.Context, directory: Path) -> None:
    """sunshine：把阳光物业公示做成网站、公示栏 PDF 和两期之间的变更对比。

    第一次使用：sunshine init 新站点目录，再按 docs/tutorial.zh.md 一步步做。

    每个命令的用法：sunshine 命令 --help。
    """
    if not directory.is_dir():
        raise click.UsageError(_("-C {directory}：没有这个目录", directory=directory))
    ctx.obj = {"root": directory.resolve()}


def _progress() -> Callable[[str, int, int], None]:
    """A one-line progress bar on the terminal (silent when output is not a terminal)."""
    names = {"estates": _("小区"), "sheets": _("公示单")}

    def show(what: str, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        click.echo(
            f"\r{names.get(what, what)} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
            nl=done >= total,
            err=True,
        )

    return show


def _print_diagnostics(
    diagnostics: list[Diagnostic],
    strict: bool,
    as_json: bool,
    said: tuple[str, ...] = (),
    flags: list[dict[str, object]] | None = None,
) -> None:
    """Each diagnostic on a line, what the command says of its work, then the count last."""
    errors = sum(1 for d in diagnostics if d.fails(strict))
    warnings = sum(1 for d in diagnostics if d.severity is Severity.WARNING and not d.fails(strict))
    if as_json:
        payload = {
            "errors": errors,
            "warnings": warnings,
            "diagnostics": [d.as_dict() for d in diagnostics],
        }
        if flags is not None:  # check's outliers across estates: information, never a failure
            payload["flags"] = flags
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for d in diagnostics:
        click.echo(d.format(strict), err=False)
    for line in said:
        click.echo(line, err=True)
    notes = len(diagnostics) - errors - warnings
    summary = (
        _("{errors} 个错误，{warnings} 个警告", errors=errors, warnings=warnings)
        if errors or warnings
        else _("没有发现问题")
    )
    summary += _("（另有 {notes} 条提示）", notes=notes) if notes else ""
    click.echo(summary, err=True)


def _own_cache(root: Path) -> Cache | None:
    """The site's cache, unless git holds files of it: a cache that came with the content
    (committed, then cloned) may say anything (findings that hide errors, pages never
    rendered here), so it is not read; a cache is this machine's own."""
    from .history import tracked

    if tracked(root, CACHE_FOLDER):
        said = _(
            "{folder} 里有文件被提交进了 git，这次不使用缓存（提交的缓存可能被改过）：请运行 git rm -r --cached {folder}，并把它写进 .gitignore",
            folder=CACHE_FOLDER,
        )
        click.echo(said, err=True)
        return None
    return Cache(root / CACHE_FOLDER)


class _Day(click.DateTime):
    """A day written YYYY-MM-DD, one a disclosure can name (clock.out_of_range)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from .clock import out_of_range

        try:
            moment = super().convert(value, param, ctx)
        except click.BadParameter:
            said = _("“{value}”不是写成 YYYY-MM-DD 的日期：请写成 2025-07-01 这样", value=value)
            self.fail(said, param, ctx)
        wrong = out_of_range(moment.date())
        if wrong is not None:
            self.fail(wrong[0].format(**wrong[1]), param, ctx)
        return moment


_DATE = _Day(["%Y-%m-%d"])


@main.command()
@click.argument(
    "folder",
    required=False,
    type=click.Path(file_okay=False, path_type=Path),
    metavar="[目录]",
    cls=Argument,
)
@option(
    "--title", default=None, metavar="名称", help="站点名称，显示在每页顶部（默认：阳光物业公示）。"
)
@option(
    "--url",
    default=None,
    metavar="网址",
    help="网站将来的网址，二维码指向这里（默认是一个示例网址，发布前改成真实的）。",
)
@option(
    "--estate",
    "estate_id",
    default=None,
    metavar="小区编号",
    help="同时建一个小区（带注释的示例文件），编号只用 a-z、0-9 和 -，如 yang-guang-yuan。",
)
@option(
    "--name", default=None, metavar="小区名称", help="与 --estate 一起用：小区名称，如 阳光苑。"
)
@option(
    "--ci",
    "hosts",
    type=click.Choice(sorted(PIPELINES)),
    multiple=True,
    help="同时写好自动发布的流水线文件：github（GitHub Pages）或 gitlab（GitLab Pages），可写多次；见 docs/publish.zh.md。",
)
@click.pass_context
@_guard
def init(
    ctx: click.Context,
    folder: Path | None,
    title: str | None,
    url: str | None,
    estate_id: str | None,
    name: str | None,
    hosts: tuple[str, ...],
) -> None:
    """新建一个站点：site.yaml（带中文注释）、content/、.gitignore，马上就能通过 check。

    目录不写时用当前目录（或 -C 指定的目录）；目录可以还不存在。已经有 site.yaml 的目录不会被改动。

    例：sunshine init 阳光物业 --estate yang-guang-yuan --name 阳光苑 --ci gitlab
    """
    from . import scaffold  # here: it imports every model

    root: Path = ctx.obj["root"] if folder is None else ctx.obj["root"] / folder
    made = scaffold.init_site(root, title, url)
    for path in made:
        click.echo(_("已创建 {path}", path=_shown(path, root)))
    if estate_id is not None:
        estate = scaffold.new_estate(root, estate_id, name)
        click.echo(_("已创建 {path}", path=_shown(estate, root)))
    for path in write_pipelines(root, hosts):
        click.echo(_("已创建 {path}", path=_shown(path, root)))
    click.echo(_("下一步：") + "\n" + _next_steps(root, folder, estate_id))


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() + ("/" if path.is_dir() else "")


def _next_steps(root: Path, folder: Path | None, estate_id: str | None) -> str:
    steps = [f"  cd {folder}"] if folder is not None else []
    if estate_id is None:
        steps.append(_("  sunshine new 小区编号 --name 小区名称     （建第一个小区）"))
    steps += [
        _("  sunshine check                          （核对）"),
        _("  sunshine serve                          （在浏览器里预览）"),
        _("  完整的入门教程：docs/tutorial.zh.md"),
    ]
    return "\n".join(steps)


@main.command()
@click.argument("estates", nargs=-1, metavar="[小区编号]...", cls=Argument)
@option("--strict", is_flag=True, help="警告也按错误处理（退出码 1）；建议在自动发布（CI）里用。")
@option(
    "--as-of",
    "as_of",
    type=_DATE,
    default=None,
    metavar="日期",
    help="按这一天核对公示期限等规则（YYYY-MM-DD；默认今天，或 SOURCE_DATE_EPOCH 给的日期）。",
)
@option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    help="输出格式：text（每个问题一行）或 json。",
)
@option("--full", is_flag=True, help="不管缓存里有什么，每个小区都重新读取、重新核对。")
@option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    metavar="个数",
    help="同时工作的进程数（默认每个 CPU 核一个）。",
)
@option(
    "--no-cache",
    "no_cache",
    is_flag=True,
    help="不使用也不保存核对结果的缓存（站点目录下的 .sunshine-cache/checks/）。",
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
    """核对全部内容（或只核对列出的小区），每个问题打印一行：路径:行:列: 代码 错误: 说明。

    每个小区的工作副本都按“这一天发布的下一期”审核；上次核对之后没有改动的小区沿用上次的结果，输出与全部重新核对完全相同。没有错误时退出码 0，有错误时 1（加 --strict 时警告也算），用法错误 2。

    例：sunshine check --strict
    """
    from . import fonts
    from .fingerprint import Walk, code_digest

    root = _site(ctx)
    # each estate folder's signature, in another process while the models are imported
    # below; --full keeps nothing by them: the workers digest what they read
    walk = None if estates or full else Walk(root)
    fonts.asked.begin()
    code_digest.begin()
    try:
        from .checking import check as check_estates
        from .clock import today
        from .parallel import cores

        day = as_of.date() if as_of else today()
        cache = None if no_cache else _own_cache(root)
        if cache is not None and full:
            cache.forget_checks()
        checked = check_estates(
            root, day, estates, cores(jobs), cache, with_flags=fmt == "json", walk=walk
        )
    finally:
        if walk is not None:
            walk.close()
    diagnostics = checked.diagnostics
    said = [_("各小区的工作副本已按 {day} 发布的下一期审核。", day=day)]
    if checked.kept:
        said.append(
            _(
                "重新核对了 {checked} 个有改动的小区；其余 {kept} 个没有改动，沿用上次的结果（--full 全部重新核对）。",
                checked=len(checked.checked),
                kept=len(checked.kept),
            )
        )
    flags = [f.as_json() for f in checked.flags]
    _print_diagnostics(diagnostics, strict, fmt == "json", tuple(said), flags)
    failed = any(d.fails(strict) for d in diagnostics)
    sys.exit(EXIT_CONTENT if failed else EXIT_OK)


@main.command()
@option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="目录",
    help="生成到这个目录（默认 build/）。",
)
@option(
    "--paper",
    type=click.Choice(["A4", "A3"]),
    default=None,
    help="公示单的纸张（默认按 site.yaml 的 paper，A4）。",
)
@option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    metavar="个数",
    help="同时工作的进程数（默认每个 CPU 核一个）。",
)
@option(
    "--no-pdf",
    "no_pdf",
    is_flag=True,
    help="只生成网站，不生成 PDF 公示单（网页上也不放公示单的链接，输出目录里原有的公示单移除）。",
)
@option(
    "--no-cache",
    "no_cache",
    is_flag=True,
    help="不使用也不保存生成缓存（站点目录下的 .sunshine-cache/）。",
)
@option(
    "--strict",
    is_flag=True,
    help="有一个小区有错误就什么也不生成（退出码 1），不单独暂停这个小区。",
)
@option(
    "--cluster",
    metavar="地址",
    help="在 Dask 集群上生成，如 tcp://10.0.0.5:8786（也可在 site.yaml 写 cluster:，见 docs/cluster.md）。",
)
@click.pass_context
@_guard
def build(
    ctx: click.Context,
    out: Path | None,
    paper: str | None,
    jobs: int,
    no_pdf: bool,
    no_cache: bool,
    strict: bool,
    cluster: str | None,
) -> None:
    """先核对，再把网站和 PDF 公示单生成到 build/（或 --out 目录）。

    新网站全部生成好才替换旧的，失败时旧的 build/ 保持不变。上次生成的结果按内容保存在 .sunshine-cache/ 里，没有变化的小区和公示单直接取用，不再重新生成。

    有错误的小区暂停更新：网站上保留它上次发布的内容，街道总览里标出“数据有误，本期未更新”，其余小区照常生成，退出码 4（自动发布时据此通知物业）。加 --strict 时有错误就什么也不生成。

    例：sunshine build --out /srv/www/sunshine
    """
    from .clock import today
    from .pipeline import build as build_site

    root = _site(ctx)
    target = out if out is not None else root / "build"
    bar = _progress() if sys.stderr.isatty() else None
    cache = None if no_cache else _own_cache(root)
    report = build_site(
        root, target, paper, today(), jobs, bar, not no_pdf, cache, strict=strict, cluster=cluster
    )
    if report.up_to_date:
        click.echo(
            _("{target} 已是最新（{count} 个小区）", target=target, count=len(report.carried))
        )
    else:
        rendered = len(report.rendered) - len(report.restored)
        click.echo(
            _(
                "已生成 {target}：重新生成 {rendered} 个小区，从缓存取 {restored} 个，沿用 {carried} 个，共 {files} 个文件",
                target=target,
                rendered=rendered,
                restored=len(report.restored),
                carried=len(report.carried),
                files=report.files,
            )
        )
    if no_pdf:
        click.echo(
            _(
                "没有生成 PDF 公示单（--no-pdf）：网页上不放公示单的链接，{target} 里原有的公示单已移除；发布前请不加 --no-pdf 再生成一次。",
                target=target,
            )
        )
    if report.held:
        found = sorted((d for f in report.held.values() for d in f), key=Diagnostic.sort_key)
        said = _(
            "这些小区的数据有误，暂停更新（网站上保留上次发布的内容，街道总览里已标出）：{estates}",
            estates=_("、").join(sorted(report.held)),
        )
        _print_diagnostics(found, strict=False, as_json=False, said=(said,))
        sys.exit(EXIT_HELD)


@main.command()
@option("--host", default="127.0.0.1", show_default=True, metavar="地址", help="监听的地址。")
@option(
    "--port",
    default=8000,
    show_default=True,
    metavar="端口",
    help="监听的端口（0 表示任选一个空闲端口）。",
)
@option("--pdf", "with_pdf", is_flag=True, help="预览里也生成 PDF 公示单（较慢）。")
@option(
    "--published",
    is_flag=True,
    help="只预览已发布的期次，和居民看到的一样（默认预览正在编辑的工作副本）。",
)
@click.pass_context
@_guard
def serve(ctx: click.Context, host: str, port: int, with_pdf: bool, published: bool) -> None:
    """在本机预览网站：保存文件后自动重新生成，打开的网页自动刷新。

    默认预览正在编辑、尚未发布的内容（每页顶部标着“草稿预览”）；预览生成在临时目录里，不会改动 build/。按 Ctrl+C 停止。

    例：sunshine serve --port 8000
    """
    from . import serve as preview

    root = _site(ctx)
    try:
        server = preview.bind(host, port)
    except preview.PortBusy as exc:
        click.echo(_("错误：") + str(exc), err=True)
        sys.exit(EXIT_USAGE)
    build_preview = functools.partial(
        preview.build_preview, with_pdf=with_pdf, working_copy=not published
    )
    preview.serve(root, build_preview, server, lambda line: click.echo(line, err=True))


@main.command()
@argument("estate_id", metavar="小区编号")
@option(
    "--name", default=None, metavar="小区名称", help="小区名称，如 阳光苑（不写时先用“新小区”）。"
)
@click.pass_context
@_guard
def new(ctx: click.Context, estate_id: str, name: str | None) -> None:
    """按带注释的示例新建 content/小区编号/，它原样就能通过 check。

    小区编号只用小写字母 a-z、数字和 -，如 yang-guang-yuan；编号会出现在网址里，以后不要再改。

    例：sunshine new yang-guang-yuan --name 阳光苑
    """
    from . import scaffold  # here: it imports every model

    folder = scaffold.new_estate(_site(ctx), estate_id, name)
    click.echo(
        _("已创建 {folder}：把其中的示例改成本小区的数据，然后运行 sunshine check", folder=folder)
    )


@main.command()
@argument("estate_id", metavar="小区编号")
@option("--id", "release_id", required=True, metavar="期次编号", help="新期次的编号，如 2025-q3。")
@option(
    "--date",
    "release_date",
    type=_DATE,
    required=True,
    metavar="日期",
    help="发布日期（YYYY-MM-DD）。",
)
@option(
    "--posting-from",
    type=_DATE,
    required=True,
    metavar="日期",
    help="公示期第一天（YYYY-MM-DD）。",
)
@option(
    "--posting-to",
    type=_DATE,
    required=True,
    metavar="日期",
    help="公示期最后一天（YYYY-MM-DD）。",
)
@option(
    "--dry-run",
    "dry_run",
    is_flag=True,
    help="只审核、打印发现的问题，不写入快照（快照一旦写入就不能再改，先看看有没有警告）。",
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
    dry_run: bool,
) -> None:
    """把小区当前的数据定稿为新的一期公示（快照），以后不能再改。

    先把工作副本当作这一期完整审核：有错误（包括改写了已公示的内容而没有更正记录）、或这个期次编号已经用过时拒绝，什么也不写。

    \b
    例：sunshine release yun-tai-yi-cun --id 2025-q3 --date 2025-10-10 --posting-from 2025-10-10 --posting-to 2025-10-24
    """
    warned: list[Diagnostic] = []
    from .pipeline import release as release_estate

    path = release_estate(
        _site(ctx),
        estate_id,
        release_date.date(),
        release_id,
        (posting_from.date(), posting_to.date()),
        warned,
        dry_run,
    )
    for d in warned:
        click.echo(d.format(), err=True)
    if dry_run:
        click.echo(_("没有错误，可以发布；这次没有写入 {path}（--dry-run）", path=path))
    else:
        click.echo(_("已写入 {path}：把它提交到 git；这个文件以后不能再改", path=path))


@main.command()
@argument("estate_id", metavar="小区编号")
@argument("old_id", metavar="旧期次")
@argument("new_id", metavar="新期次")
@option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    help="输出格式：text 或 json。",
)
@click.pass_context
@_guard
def diff(ctx: click.Context, estate_id: str, old_id: str, new_id: str, fmt: str) -> None:
    """列出小区从旧期次到新期次改了什么，以及审核发现的问题。

    新期次可以写 current，表示正在编辑、尚未发布的工作副本。审核发现错误时退出码 1。

    例：sunshine diff jia-he-jin-yuan 2025-h2 current
    """
    from .diff import tree
    from .render.changes import describe_all

    root = _site(ctx)
    from .pipeline import diff_data

    step, old, new = diff_data(root, estate_id, old_id, new_id)
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
        click.echo(
            _(
                "{estate}：{old} → {new}，{count} 处变更",
                estate=estate_id,
                old=old_id,
                new=new_id,
                count=len(lines),
            )
        )
        _echo_changes(lines)
        for finding in step.findings:
            click.echo(click.style(finding.format(), fg="red" if finding.fails() else "magenta"))
    sys.exit(EXIT_CONTENT if any(f.fails() for f in step.findings) else EXIT_OK)


def _echo_changes(lines: list[Any]) -> None:
    """Each change on a line of its own, coloured by kind (render.changes.Line)."""
    colours = {"added": "green", "removed": "red", "changed": "yellow"}
    for line in lines:
        click.echo(click.style(line.text(), fg=colours[line.kind]))


@main.command("export")
@argument("estate_id", metavar="小区编号")
@option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="文件",
    help="写出的工作簿（默认：站点目录下的 小区编号.xlsx）。",
)
@click.pass_context
@_guard
def export(ctx: click.Context, estate_id: str, out: Path | None) -> None:
    """把小区的表格数据导出为 Excel/WPS 工作簿，供填写后用 import 导回。

    工作簿有楼栋、收费标准、合同、四保、维修资金、公共收益、物业费收支、业主表决、更正等工作表，
    第一个工作表“说明”讲每一列怎么填；已发布的期次是灰色的，不能再改。

    例：sunshine export jia-he-jin-yuan -o 嘉禾锦园.xlsx
    """
    from .workbook import export_estate

    path = export_estate(_site(ctx), estate_id, out)
    click.echo(
        _(
            "已写入 {path}：填好后运行 sunshine import {estate} {path} 导回",
            path=path,
            estate=estate_id,
        )
    )


@main.command("import")
@argument("estate_id", metavar="小区编号")
@argument("file", metavar="文件", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option("--dry-run", is_flag=True, help="只列出将要发生的变更和核对结果，不写入任何文件。")
@click.pass_context
@_guard
def import_(ctx: click.Context, estate_id: str, file: Path, dry_run: bool) -> None:
    """把填好的工作簿（.xlsx、.xls、.ods，或一个工作表的 .csv）导回小区的 YAML 文件。

    每个值都像 check 一样核对，问题指出工作表和单元格（如 嘉禾锦园.xlsx!维修资金!D14）；
    先列出将要发生的变更，有任何错误时一个文件也不改，退出码 1。YAML 文件里的注释保留。

    例：sunshine import jia-he-jin-yuan 嘉禾锦园.xlsx --dry-run
    """
    from .workbook import apply_import, plan_import

    root = _site(ctx)
    plan = plan_import(root, estate_id, file, str(file), _own_cache(root))
    if plan.diagnostics:
        _print_diagnostics(plan.diagnostics, strict=False, as_json=False)
    if plan.failed:
        click.echo(_("有错误，没有改动任何文件"), err=True)
        sys.exit(EXIT_CONTENT)
    changes = _(
        "{estate}：当前数据 → {file}，{count} 处变更",
        estate=estate_id,
        file=file,
        count=len(plan.lines),
    )
    click.echo(changes)
    _echo_changes(plan.lines)
    if dry_run or not (plan.writes or plan.removes):
        message = (
            _("没有写入任何文件（--dry-run）") if dry_run else _("数据没有变化，没有写入任何文件")
        )
        click.echo(message, err=True)
        return
    for path in apply_import(plan):
        click.echo(
            _("已写入 {path}", path=path) if path.exists() else _("已删除 {path}", path=path)
        )
    click.echo(_("运行 sunshine check 核对，再提交到 git"), err=True)


@main.command()
@option("--github", is_flag=True, help="写入 GitHub Actions 流水线，发布到 GitHub Pages。")
@option("--gitlab", is_flag=True, help="写入 GitLab CI 流水线，发布到 GitLab Pages。")
@option("--force", is_flag=True, help="替换已有的流水线文件。")
@click.pass_context
@_guard
def ci(ctx: click.Context, github: bool, gitlab: bool, force: bool) -> None:
    """写入在每次推送后核对、生成并发布网站的 CI 流水线文件。

    流水线安装系统软件包和 sunshine，保留构建缓存，运行 check 和 build，发布不含构建状态的网站；
    发布到自己的服务器或对象存储的步骤写在文件末尾的注释里。选哪种、base_url 怎么设，见 docs/publish.zh.md。

    例：sunshine ci --github
    """
    hosts = [h for h, wanted in (("github", github), ("gitlab", gitlab)) if wanted]
    if not hosts:
        raise click.UsageError(_("请选择 --github 或 --gitlab（可以都选）"))
    for path in write_pipelines(_site(ctx), hosts, force):
        click.echo(_("已写入 {path}", path=path))
    click.echo(_("提交到 git 并推送；发布方式和 base_url 的设置见 docs/publish.zh.md"), err=True)


@main.command()
@click.pass_context
@_guard
def doctor(ctx: click.Context) -> None:
    """检查本机能否生成：中文字体、HarfBuzz 子集化、内容里每个字有没有字体能显示。

    一切齐备时退出码 0，缺少什么时 3。

    例：sunshine doctor
    """
    from .doctor import diagnose

    root: Path = ctx.obj["root"]
    findings = diagnose(root if (root / "site.yaml").is_file() else None)
    for f in findings:
        status = _("正常") if f.ok else _("缺少")
        click.echo(f"{status:6} " + _("{what}：{detail}", what=f.what, detail=f.detail))
    sys.exit(EXIT_OK if all(f.ok for f in findings) else EXIT_MACHINE)


@main.command()
@click.pass_context
@_guard
def schemas(ctx: click.Context) -> None:
    """把每种内容文件的 JSON Schema 写进 schemas/（编辑器据此提示和检查）。

    例：sunshine schemas
    """
    from . import scaffold  # here: it imports every model

    written = scaffold.write_schemas(_site(ctx))
    click.echo(_("已把 {count} 个 schema 写入 schemas/", count=len(written)))


if __name__ == "__main__":  # pragma: no cover
    main()
