"""Several worker processes over one drop (PostgreSQL only: SQLite allows one worker)."""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import asdict
from pathlib import Path
from queue import Empty
from typing import Any

from claimhouse.batch._config import load_config
from claimhouse.batch._runner import Runner
from claimhouse.batch._summary import Summary
from claimhouse.errors import ConfigError

_LIVENESS_POLL = 1.0  # seconds between checks that a silent worker is still alive


def _work(root: str, queue: Any) -> None:
    try:
        with Runner(load_config(root)) as runner:
            summary = runner.run_once()
        queue.put(asdict(summary))
    except Exception as exc:  # reported by the parent; message names the class only
        queue.put({"errors": 1, "error_messages": [f"worker failed: {type(exc).__name__}"]})


def _collect(procs: list[Any], queue: Any) -> Summary:
    """Sum the workers' reports. A worker that died without one (SIGKILL, out of memory)
    is counted as an error instead of being waited for for ever: once every worker has
    exited, what they sent is already in the queue's pipe."""
    total, reported = Summary(), 0
    while reported < len(procs):
        try:
            part = queue.get(timeout=_LIVENESS_POLL)
        except Empty:
            if any(p.is_alive() for p in procs):
                continue
            try:
                part = queue.get(timeout=_LIVENESS_POLL)
            except Empty:
                break
        reported += 1
        total.add(Summary(**{k: v for k, v in part.items() if k != "seconds"}))
    if reported < len(procs):
        lost = len(procs) - reported
        total.errors += lost
        total.error_messages.append(f"{lost} worker(s) died without a report (their jobs "
                                    "are taken over when their leases run out)")
    return total


def run_workers(root: Path | str, workers: int) -> Summary:
    """Run ``workers`` processes of :meth:`Runner.run_once` on the drop; sum their work."""
    config = load_config(root)
    if workers < 1:
        raise ConfigError("workers must be at least 1")
    if workers > 1 and config.is_sqlite:
        raise ConfigError(f"{config.root}: several workers need a PostgreSQL database "
                          "([database].url); SQLite allows one")
    if workers == 1:
        with Runner(config) as runner:
            return runner.run_once()
    started = time.perf_counter()
    with Runner(config):
        pass  # create the tables once before the workers race to
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_work, args=(str(config.root), queue)) for _ in range(workers)]
    for p in procs:
        p.start()
    total = _collect(procs, queue)
    for p in procs:
        p.join()
    total.seconds = time.perf_counter() - started
    return total
