"""Where work runs: worker processes on this machine, or this process alone.

The rest of the code hands functions to an ``Executor`` from here and gets
futures back; no other module starts processes. Workers are forked once,
each told what the job is by an initializer, so a task sends only its own
arguments.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def cores(asked: int = 0) -> int:
    """The worker processes to use: as asked, else one per core."""
    return asked or os.cpu_count() or 1


@contextmanager
def workers(
    count: int, initializer: Callable[..., None], initargs: tuple[Any, ...]
) -> Iterator[Executor]:
    """``count`` worker processes, begun at once; with one, every task runs here, in turn."""
    if count <= 1 or sys.platform == "win32":
        initializer(*initargs)
        yield Here()
        return
    from concurrent.futures import ProcessPoolExecutor  # here: a check of one estate needs none
    from multiprocessing import get_context

    pool = ProcessPoolExecutor(
        count, mp_context=get_context("fork"), initializer=initializer, initargs=initargs
    )
    try:
        yield pool
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise
    pool.shutdown()


def completed(
    pool: Executor, fn: Callable[..., T], calls: list[tuple[Any, ...]]
) -> Iterator[Future[T]]:
    """Each call of ``fn`` as it completes. A few calls a worker are handed out at a time
    and the next as each completes, or, here, each is made when the one before is done
    with: answers not yet taken never pile up (at 10,000 estates restored from the cache,
    workers faster than the main process, they held hundreds of megabytes)."""
    if isinstance(pool, Here):
        return (pool.submit(fn, *args) for args in calls)
    return _in_window(pool, fn, iter(calls), AHEAD * slots(pool))


AHEAD = 4  # calls handed out a worker: one it works on, the next at hand, two coming back


def slots(pool: Executor) -> int:
    """How many tasks ``pool`` works on at once: its worker processes, or what it says
    (a cluster's threads, see cluster.Remote)."""
    return int(getattr(pool, "slots", 0) or getattr(pool, "_max_workers", 0) or 1)


def _in_window(
    pool: Executor, fn: Callable[..., T], calls: Iterator[tuple[Any, ...]], window: int
) -> Iterator[Future[T]]:
    running = {pool.submit(fn, *args) for args in itertools.islice(calls, window)}
    while running:
        finished, running = wait(running, return_when=FIRST_COMPLETED)
        running |= {pool.submit(fn, *args) for args in itertools.islice(calls, len(finished))}
        yield from finished


class Here(Executor):
    """Each task run at once, in this process."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        done: Future[T] = Future()
        try:
            done.set_result(fn(*args, **kwargs))
        except Exception as error:  # as a worker's: raised by result()
            done.set_exception(error)
        return done


class Ahead(Generic[T]):
    """``fn(*args)`` worked out in a forked process while this one goes on (imports, say);
    ``result()`` waits for it. Where there is no fork, or the process fails, ``result()``
    works it out here. ``close()`` stops it, unread."""

    def __init__(self, fn: Callable[..., T], *args: Any):
        self.call = (fn, args)
        self.pid, self.read = 0, -1
        if sys.platform == "win32" or not hasattr(os, "fork"):
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: the answer down the pipe, then gone without cleanup
            os.close(read)
            try:
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(pickle.dumps(fn(*args)))
            finally:
                os._exit(0)
        os.close(write)
        self.pid, self.read = pid, read

    def result(self) -> T:
        answer = b""
        if self.pid:
            with os.fdopen(self.read, "rb") as pipe:
                answer = pipe.read()
            self.read = -1
            os.waitpid(self.pid, 0)
            self.pid = 0
        if answer:
            value: T = pickle.loads(answer)  # our own child's, through our own pipe
            return value
        fn, args = self.call
        return fn(*args)

    def close(self) -> None:
        """Done with: the child, if it still works (a folder far larger than asked for, say),
        is stopped."""
        if self.read >= 0:
            os.close(self.read)
            self.read = -1
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = 0


class Begun(Generic[T]):
    """``fn()``, which may have been begun in another process already (``begin``, an Ahead):
    the next call takes that answer if it was begun for the same ``key()``; any other call
    works it out here."""

    def __init__(self, fn: Callable[[], T], key: Callable[[], str] = lambda: ""):
        self.fn, self.key = fn, key
        self.begun: dict[str, Ahead[T]] = {}

    def begin(self) -> None:
        self.begun.setdefault(self.key(), Ahead(self.fn))

    def __call__(self) -> T:
        ahead = self.begun.pop(self.key(), None)
        return ahead.result() if ahead is not None else self.fn()
