"""Unattended file-drop batches: claim each inbox file, process it once, never lose it.

A drop folder (``inbox/ work/ archive/ rejected/ outbox/`` plus ``claimhouse.toml``) is
worked by :class:`Runner` (``run_once``/``watch``) over a :class:`Pipeline`; job states,
leases and an audit trail live in SQL (SQLite for one worker, PostgreSQL for many).
:mod:`claimhouse.batch._sftp` moves files between a partner's SFTP folder and the drop.
"""

from claimhouse.batch._config import CONFIG_NAME, DropConfig, SftpConfig, load_config, parse_config
from claimhouse.batch._files import DropLayout, safe_name
from claimhouse.batch._journal import Job, Journal
from claimhouse.batch._pipeline import (
    EnvelopePipeline,
    FileOutcome,
    InterchangeKey,
    JobInfo,
    Pipeline,
    SetSummary,
)
from claimhouse.batch._runner import Runner, default_worker_name
from claimhouse.batch._summary import Event, Summary
from claimhouse.batch._tables import metadata as batch_metadata

__all__ = [
    "CONFIG_NAME",
    "DropConfig",
    "DropLayout",
    "EnvelopePipeline",
    "Event",
    "FileOutcome",
    "InterchangeKey",
    "Job",
    "JobInfo",
    "Journal",
    "Pipeline",
    "Runner",
    "SetSummary",
    "SftpConfig",
    "Summary",
    "batch_metadata",
    "default_worker_name",
    "load_config",
    "parse_config",
    "safe_name",
]
