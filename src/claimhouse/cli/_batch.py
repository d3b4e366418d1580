"""`claimhouse batch run|watch|pull|push DROP`: the unattended drop-folder runner."""

from __future__ import annotations

import functools
import json
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import click

from claimhouse.batch import Event, Runner, Summary, load_config
from claimhouse.batch._workers import run_workers
from claimhouse.errors import ConfigError, TransferError

log = logging.getLogger("claimhouse.batch")

_drop_arg = click.argument("drop", type=click.Path(file_okay=False, path_type=Path))
_log_json = click.option("--log-json", is_flag=True,
                         help="One JSON object per line on stderr (no PHI).")


class _Lines:
    """Structured per-file log lines: JSON or plain, ids and counts only (never PHI)."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def __call__(self, event: Event) -> None:
        self.write({"event": event.kind, "job": event.job, "file": event.name,
                    "detail": event.detail, "claims": event.claims})

    def write(self, record: dict[str, Any]) -> None:
        if self.as_json:
            click.echo(json.dumps({"ts": round(time.time(), 3), **record}, sort_keys=True),
                       err=True)
        else:
            log.info(" ".join(f"{k}={v}" for k, v in record.items() if v not in ("", None)))


def _finish(summary: Summary, lines: _Lines) -> None:
    record = {"event": "summary", "files": summary.files, "accepted": summary.accepted,
              "rejected": summary.rejected, "duplicates": summary.duplicates,
              "vanished": summary.vanished, "errors": summary.errors,
              "claims": summary.claims, "reconciled": summary.reconciled,
              "seconds": round(summary.seconds, 3)}
    if lines.as_json:
        lines.write(record)
    for message in summary.error_messages:
        click.echo(f"error: {message}", err=True)
    click.echo(f"{summary.files} file(s), {summary.claims} claim(s), {summary.rejected} "
               f"rejected ({summary.duplicates} duplicate), {summary.errors} error(s), "
               f"{summary.seconds:.2f} s", err=True)
    if summary.rejected or summary.errors:
        sys.exit(1)


def _env_errors(fn: Callable[..., None]) -> Callable[..., None]:
    """Configuration and transfer failures are environment errors: exit 2."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            fn(*args, **kwargs)
        except (ConfigError, TransferError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
    return wrapper


@click.group("batch")
def batch_group() -> None:
    """Process drop folders unattended (inbox/ work/ archive/ rejected/ outbox/)."""


@batch_group.command("run")
@_drop_arg
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes (more than one needs PostgreSQL).")
@_log_json
@_env_errors
def run_command(drop: Path, workers: int, log_json: bool) -> None:
    """Process everything in DROP/inbox once, then exit (1 if any file was rejected)."""
    lines = _Lines(log_json)
    if workers > 1:
        _finish(run_workers(drop, workers), lines)
        return
    with Runner(load_config(drop), on_event=lines) as runner:
        runner.discover()
        total = runner.journal.active_count()
        if sys.stderr.isatty() and total:
            with click.progressbar(length=total, label="batch", file=sys.stderr) as bar:
                def tick(event: Event) -> None:
                    lines(event)
                    bar.update(1)
                runner.on_event = tick
                summary = runner.run_once()
        else:
            summary = runner.run_once()
    _finish(summary, lines)


@batch_group.command("watch")
@_drop_arg
@click.option("--sftp", "use_sftp", is_flag=True,
              help="Pull from [sftp] before each cycle and push the outbox after it.")
@_log_json
@_env_errors
def watch_command(drop: Path, use_sftp: bool, log_json: bool) -> None:
    """Keep processing DROP/inbox; SIGTERM or SIGINT stops after the current file."""
    lines = _Lines(log_json)
    config = load_config(drop)
    before = after = None
    if use_sftp:
        from claimhouse.batch._sftp import pull, push

        if config.sftp is None:
            raise ConfigError(f"{config.root}: claimhouse.toml has no [sftp] table")
        before, after = (lambda: pull(config)), (lambda: push(config))
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        lines.write({"event": "stopping", "signal": signal.Signals(signum).name})
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        with Runner(config, on_event=lines) as runner:
            summary = runner.watch(stop, before=before, after=after)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    _finish(summary, lines)


@batch_group.command("pull")
@_drop_arg
@_log_json
@_env_errors
def pull_command(drop: Path, log_json: bool) -> None:
    """Fetch files from the [sftp] remote_inbox into DROP/inbox (resume-safe)."""
    from claimhouse.batch._sftp import pull  # paramiko loads only when needed
    names = pull(load_config(drop))
    _Lines(log_json).write({"event": "pulled", "files": len(names)})
    click.echo(f"pulled {len(names)} file(s)", err=True)


@batch_group.command("push")
@_drop_arg
@_log_json
@_env_errors
def push_command(drop: Path, log_json: bool) -> None:
    """Send DROP/outbox files to the [sftp] remote_outbox (then keep them in outbox/sent)."""
    from claimhouse.batch._sftp import push  # paramiko loads only when needed
    names = push(load_config(drop))
    _Lines(log_json).write({"event": "pushed", "files": len(names)})
    click.echo(f"pushed {len(names)} file(s)", err=True)
