"""Builds across machines: the build's tasks on a Dask distributed cluster.

The plan is the same as on one machine (incremental.plan); only where the
work runs changes. The workers share no file system with this process:

- each worker is told the job once (a worker plugin, so a worker that joins
  or restarts mid-build is told too): the site's settings, and the files
  every estate's pages are made with (site.yaml, the site's theme, its rule
  profiles), which it writes into a folder of its own;
- an estate's task carries that estate's inputs (incremental.input_files) as
  bytes, and hands back its summary, its files as bytes and the print HTML of
  its sheets; a sheet is a task of its own and hands back its PDF;
- this process stages what comes back (write.py checks each path), reuses a
  sheet whose key is as before, keeps everything in the cache, and writes the
  output: the same bytes a build on one machine writes.

Dask retries the tasks of a worker that dies on the others; the sheets laid
out before are in the cache already. Workers must run the same generator and
fonts as this process (checked when a worker is told the job): the sheets'
key names the fonts they were laid out with.

Start a scheduler and workers as docs/cluster.md says (``dask scheduler``,
``dask worker tcp://HOST:8786 --nthreads 1``); dask-jobqueue and
dask-kubernetes start them on batch systems and Kubernetes.
"""

from __future__ import annotations

import dataclasses
import functools
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from stat import S_ISDIR
from typing import TYPE_CHECKING, Any, TypeVar

from distributed import Client, WorkerPlugin
from distributed import Future as TaskFuture

from . import build, fonts, incremental
from .errors import UsageError
from .fingerprint import code_digest, files_of
from .i18n import _
from .sheets import Sheet

if TYPE_CHECKING:
    from .build import EstateSummary
    from .errors import Diagnostic

T = TypeVar("T")
CONNECT_SECONDS = 20


@dataclasses.dataclass
class Shipped:
    """An estate's task's answer: its summary and files, or the problems that stop it."""

    estate_id: str
    summary: EstateSummary | None
    files: dict[str, bytes]
    sheets: list[Sheet]
    problems: list[Diagnostic]


@contextmanager
def on_cluster(address: str, job: incremental.Job) -> Iterator[Executor]:
    """The cluster at ``address``, its workers told the job; tasks submitted to it as to
    worker processes here."""
    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except OSError as exc:
        raise UsageError(
            _(
                "连不上 Dask 集群 {address}：{error}。先启动 dask scheduler 和 dask worker（见 docs/cluster.md）",
                address=address,
                error=exc,
            )
        ) from None
    incremental._init(job)  # this process stages what comes back, reuses and keeps sheets
    remote = Remote(client, job)
    try:
        client.register_plugin(Told(told(job), bundle(job.root, job.config), _code()))
        yield remote
    finally:
        remote.shutdown(wait=False, cancel_futures=True)
        client.close()


def told(job: incremental.Job) -> incremental.Job:
    """The job as a worker is told it: no output, staging or cache of this machine's."""
    nowhere = Path("/nonexistent")
    return dataclasses.replace(
        job, root=nowhere, out=nowhere, staging=nowhere, cache=None, sheets={}
    )


def bundle(root: Path, config: Any) -> dict[str, bytes]:
    """The files every estate's pages are made with besides its own: site.yaml, the site's
    theme, its rule profiles."""
    found: dict[str, bytes] = {}
    for top in (root / "site.yaml", root / "themes" / config.theme, root / "profiles"):
        for _name, path, stat in files_of(top):
            if not S_ISDIR(stat.st_mode):  # a folder too deep to enter holds nothing read
                found[Path(path).relative_to(root).as_posix()] = Path(path).read_bytes()
    return found


@functools.cache
def _code() -> str:
    """The generator's code and the fonts here: a worker must have the same to make the same bytes."""
    return f"{code_digest()}|{fonts.installed_digest()}"


class Told(WorkerPlugin):
    """A Dask worker plugin: the job, written into a folder of the worker's own."""

    name = "sunshine-job"

    def __init__(self, job: incremental.Job, files: dict[str, bytes], code: str):
        self.job, self.files, self.code = job, files, code

    def setup(self, worker: Any = None) -> None:
        if _code() != self.code:
            raise RuntimeError(
                _("这台工作机上的 sunshine 程序或字体和发起生成的机器不同，生成结果会不一样")
            )
        root = Path(tempfile.mkdtemp(prefix="sunshine-worker-"))
        for relative, data in self.files.items():
            incremental.write.check(relative)
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        incremental._init(dataclasses.replace(self.job, root=root, staging=root / ".staging"))

    def teardown(self, worker: Any = None) -> None:
        if incremental._JOB:
            shutil.rmtree(incremental._JOB[0].root, ignore_errors=True)


_ONE_AT_A_TIME = threading.Lock()  # a worker with several threads renders one estate at a time


def render_remote(estate_id: str, inputs: dict[str, bytes]) -> Shipped:
    """On a worker: the estate's inputs written into its folder, rendered, handed back."""
    with _ONE_AT_A_TIME:
        job = incremental._JOB[0]
        folder = job.root / job.config.content_dir / estate_id
        shutil.rmtree(folder, ignore_errors=True)
        try:
            for relative, data in inputs.items():
                incremental.write.check(relative)
                target = folder / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            try:
                made = incremental.rendered(estate_id)
            except Exception as exc:  # noqa: BLE001 - this estate's alone, said as on one machine
                problems = incremental.failure(estate_id, exc)
                return Shipped(estate_id, None, {}, [], problems)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if not isinstance(made, build.Rendered):
        return Shipped(estate_id, None, {}, [], made)
    return Shipped(estate_id, made.summary, made.files, made.sheets, [])


def lay_out_remote(html: str) -> bytes:
    """On a worker: one sheet's PDF."""
    from .render import pdf

    with _ONE_AT_A_TIME:
        return pdf.pdf([pdf.document(html)])


def street_overview_remote(street: str, rows: list[Any], as_of: Any) -> bytes:
    """On a worker: one street's overview PDF."""
    job = incremental._JOB[0]
    with _ONE_AT_A_TIME:
        return build.street_overview(job.root, job.config, street, rows, as_of)


def estate_inputs(job: incremental.Job, estate_id: str) -> dict[str, bytes]:
    """The files an estate's outputs are made from, by their path in its folder."""
    folder = job.root / job.config.content_dir / estate_id
    config = incremental._config_of(job.config, estate_id in job.releases_only)
    return {
        name: Path(path).read_bytes()
        for name, path, stat in incremental.input_files(folder, config)
        if not S_ISDIR(stat.st_mode)  # a folder too deep to enter holds nothing read
    }


class Remote(Executor):
    """Tasks on the cluster, as futures of this process: what a task hands back is staged
    here, one at a time, before its future is done. A task that must read this machine's
    output (a print file merges its sheets) runs here."""

    def __init__(self, client: Client, job: incremental.Job):
        self.client = client
        self.job = job
        self.here = ThreadPoolExecutor(1, thread_name_prefix="sunshine-stage")

    @property
    def slots(self) -> int:
        """The cluster's threads now (parallel.completed hands out a few tasks each)."""
        return int(self.client.scheduler_info(n_workers=0).get("total_threads") or 1)

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        if fn is incremental.render_one:
            return self._estate(*args)
        if fn is incremental.lay_out:
            relative, html, html_digest = args
            task = self.client.submit(lay_out_remote, html, pure=False)
            return self._then(task, lambda data: incremental.laid(relative, html_digest, data))
        if isinstance(fn, functools.partial) and fn.func is build.street_overview:
            _root, _config, street, rows, as_of = fn.args
            task = self.client.submit(street_overview_remote, street, rows, as_of, pure=False)
            return self._then(task, lambda data: data)
        return self.here.submit(fn, *args, **kwargs)

    def _estate(self, estate_id: str, fingerprint: str) -> Future[Any]:
        restored = incremental.restore(estate_id, fingerprint)
        if restored is not None:
            done: Future[Any] = Future()
            done.set_result(restored)
            return done
        task = self.client.submit(
            render_remote, estate_id, estate_inputs(self.job, estate_id), pure=False
        )
        return self._then(task, self._received)

    def _received(self, shipped: Shipped) -> incremental.Done:
        if shipped.summary is None:
            return incremental.Done(shipped.estate_id, None, problems=shipped.problems)
        made = build.Rendered(shipped.summary, shipped.files, shipped.sheets)
        return incremental.guarded(
            shipped.estate_id, lambda written: incremental.staged(shipped.estate_id, made, written)
        )

    def _then(self, task: TaskFuture, finish: Callable[[Any], Any]) -> Future[Any]:
        """A future of this process, done once ``finish`` took the task's answer."""
        done: Future[Any] = Future()

        def arrived(_task: TaskFuture) -> None:
            self.here.submit(_settle, done, task, finish)

        task.add_done_callback(arrived)
        return done

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.here.shutdown(wait=wait, cancel_futures=cancel_futures)


def _settle(done: Future[Any], task: TaskFuture, finish: Callable[[Any], Any]) -> None:
    try:
        done.set_result(finish(task.result()))
    except BaseException as exc:  # noqa: BLE001 - raised where the build asks for the result
        done.set_exception(exc)
