"""Run page fetches a few at a time, stopping at the first failure.

The sync's workers share one logged-in session (requests' connection pool and cookie jar
are safe to share between threads). A failure anywhere ends the crawl: the remaining
fetches are cancelled and the first error is raised, so nothing of a broken run reaches
the store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Protocol, TypeVar

T = TypeVar("T")


class Progress(Protocol):
    """Told how far a crawl got; ``total`` grows as the planner adds pages."""

    def update(self, done: int, total: int) -> None: ...


class Counter:
    """Counts finished fetches against a total and reports them to a :class:`Progress`."""

    def __init__(self, progress: Progress | None) -> None:
        self._progress = progress
        self.done = 0
        self.total = 0

    def expect(self, more: int) -> None:
        self.total += more
        self._report()

    def tick(self) -> None:
        self.done += 1  # called from the coordinating thread only
        self._report()

    def _report(self) -> None:
        if self._progress is not None:
            self._progress.update(self.done, self.total)


def run_all(
    tasks: Sequence[Callable[[], T]], *, concurrency: int, counter: Counter | None = None
) -> list[T]:
    """The results of ``tasks`` in order; the first exception cancels the rest and is raised."""
    if counter is not None:
        counter.expect(len(tasks))
    if concurrency <= 1 or len(tasks) <= 1:
        results = []
        for task in tasks:
            results.append(task())
            if counter is not None:
                counter.tick()
        return results
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="sync") as pool:
        futures = [pool.submit(task) for task in tasks]
        try:
            for future in as_completed(futures):
                future.result()  # raises the task's exception
                if counter is not None:
                    counter.tick()
        except BaseException:
            for future in futures:
                future.cancel()  # running ones finish; leaving the block waits for them
            raise
    return [future.result() for future in futures]
