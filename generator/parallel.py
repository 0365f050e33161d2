"""Where work runs: worker processes on this machine, or this process alone.

The rest of the code hands functions to an ``Executor`` from here and gets
futures back; no other module starts processes. Workers are forked once,
each told what the job is by an initializer, so a task sends only its own
arguments.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from multiprocessing import get_context
from typing import Any, TypeVar

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
    """Each call of ``fn`` as it completes: all handed to the workers at once, or, here,
    each made when the one before is done with (so a build in one process never holds
    every estate's result at once)."""
    if isinstance(pool, Here):
        return (pool.submit(fn, *args) for args in calls)
    return as_completed([pool.submit(fn, *args) for args in calls])


class Here(Executor):
    """Each task run at once, in this process."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        done: Future[T] = Future()
        try:
            done.set_result(fn(*args, **kwargs))
        except Exception as error:  # as a worker's: raised by result()
            done.set_exception(error)
        return done
