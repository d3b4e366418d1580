"""PHI never reaches a log line, an exception message, an operator report, an ack (999 /
TA1 / 277CA), a batch reject reason or a batch journal row.

Recognisable fake PHI (tests/phi_seed.py) is written into 837s and 835s by our own
writers, plus broken variants that make each layer complain (envelope, syntax, guide,
balancing, code sets, model JSON, writer). Every CLI command runs over them with
``--log-level DEBUG`` while a handler on the root logger records every log record (and
any traceback) at DEBUG; the batch runner runs as a real process with ``--log-json``.

What may carry PHI, because it is the data and not a log or an operator report:
``parse`` output, written 837/835 files, batch extracts (``outbox/*.json``), the claim
store's own tables, and the biller's worklists that name the patient by design
(``denial-worklist``, ``underpayments``, ``dashboard``) and the remittance advice
(``era``) unless ``--mask`` is given; their
stderr and logs are still checked. ``explain`` is the biller's view of one claim, looked
up by patient control number: it shows amounts, codes and match decisions, no name, id,
birth date, address or diagnosis, and is held to the operator rule (checked here), as is
``patient-balances`` (it lists balances by patient control number). The canary tests
prove the detector catches a leak when a protection is removed.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import MetaData, create_engine, select

from claimhouse.cli import cli
from claimhouse.errors import ClaimhouseError
from tests.phi_seed import NAME_TOKENS, PhiFiles, leaks, write_phi_files
from tests.test_batch_sftp import SshServer
from tests.test_batch_sftp import sshd as sshd

ROOT = Path(__file__).resolve().parents[1]
OPERATOR_REPORTS = ("summary", "claims", "denials", "unmatched", "aging", "patient-balances")
PATIENT_REPORTS = ("denial-worklist", "underpayments", "dashboard")
AT = "2026-03-20T10:30:00"


@pytest.fixture(scope="module")
def phi(tmp_path_factory: pytest.TempPathFactory) -> PhiFiles:
    return write_phi_files(tmp_path_factory.mktemp("phi"))


class Trap(logging.Handler):
    """Every log record at DEBUG and above, formatted with its traceback if any."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def trap() -> Iterator[Trap]:
    root = logging.getLogger()
    handler = Trap()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(old)


class Checked:
    """Collects (where, text) pairs; ``assert_clean`` names every leak at once."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self.count = 0

    def check(self, where: str, text: str | bytes | None,
              allowed: tuple[str, ...] = ()) -> None:
        if not text:
            return
        self.count += 1
        for hit in leaks(text, allowed=allowed):
            self.found.append(f"{where}: ...{hit!r}...")

    def exception(self, where: str, exc: BaseException | None) -> None:
        while exc is not None:
            self.check(f"{where} exception {type(exc).__name__}", f"{exc!s} {exc!r}")
            exc = exc.__cause__

    def assert_clean(self) -> None:
        assert self.found == [], "PHI leaked:\n" + "\n".join(self.found[:40])


def cli_run(seen: Checked, args: list[str], *, output_is_operator: bool) -> str:
    result = CliRunner().invoke(cli, ["--log-level", "DEBUG", *args])
    where = "claimhouse " + " ".join(a if len(a) < 40 else Path(a).name for a in args[:3])
    seen.check(f"{where} stderr", result.stderr)
    if output_is_operator:
        seen.check(f"{where} stdout", result.stdout)
    if not isinstance(result.exception, SystemExit):
        seen.exception(where, result.exception)
    assert result.exit_code in (0, 1, 2), (where, result.output)
    return result.stdout


def _all_x12(phi: PhiFiles) -> list[Path]:
    return [*phi.good_837, *phi.good_835, *phi.broken.values()]


def test_the_files_carry_the_phi(phi: PhiFiles) -> None:
    """The detector sees the seeded PHI in the inputs (else the rest proves nothing)."""
    for path in _all_x12(phi):
        assert leaks(path.read_bytes()), path.name


def run_every_command(phi: PhiFiles, work: Path, trap: Trap) -> Checked:
    seen = Checked()
    acks = work / "acks"
    files = _all_x12(phi)
    for path in files:
        p = str(path)
        cli_run(seen, ["inspect", p], output_is_operator=True)
        cli_run(seen, ["inspect", p, "--format", "json"], output_is_operator=True)
        cli_run(seen, ["parse", p, "--format", "json"], output_is_operator=False)
        for fmt in ("text", "json", "html"):
            cli_run(seen, ["validate", p, "--format", fmt, "-v", "--ack-dir", str(acks)],
                    output_is_operator=True)
    cli_run(seen, ["schema", "claim"], output_is_operator=True)
    # era: the remittance advice names the patient (the biller's), unless --mask
    for path in [*phi.good_835, *(p for n, p in phi.broken.items() if n.endswith(".835"))]:
        for fmt in ("text", "html"):
            cli_run(seen, ["era", str(path), "--format", fmt], output_is_operator=False)
            cli_run(seen, ["era", str(path), "--format", fmt, "--mask"],
                    output_is_operator=True)
    # generate: from our 835 parse output, and from claim JSON the model/writer rejects
    for i, path in enumerate(phi.good_835[:2]):
        remits = work / f"remits-{i}.json"
        remits.write_text(cli_run(seen, ["parse", str(path), "--format", "json"],
                                  output_is_operator=False))
        cli_run(seen, ["generate", "835", str(remits), "-o", str(work / f"g{i}.835"),
                       "--at", AT], output_is_operator=True)
    for bad in phi.claims_json_bad:
        cli_run(seen, ["generate", "837", str(bad), "-o", str(work / "bad.837"), "--at", AT],
                output_is_operator=True)
    # the store: load everything (broken files too), reconcile, explain, reports
    db = str(work / "phi.db")
    cli_run(seen, ["load", *map(str, files), "--db", db], output_is_operator=True)
    cli_run(seen, ["reconcile", "--db", db], output_is_operator=True)
    for pcn in ("PCN00000000", "PCN00000004", "NO-SUCH-PCN"):
        cli_run(seen, ["explain", pcn, "--db", db], output_is_operator=True)
        cli_run(seen, ["explain", pcn, "--format", "json", "--db", db],
                output_is_operator=True)
    for name in OPERATOR_REPORTS:
        for fmt in ("table", "csv", "json", "html"):
            cli_run(seen, ["report", name, "--format", fmt, "--db", db],
                    output_is_operator=True)
    for name in PATIENT_REPORTS:
        for fmt in ("table", "json", "html") if name != "dashboard" else ("html",):
            cli_run(seen, ["report", name, "--format", fmt, "--db", db],
                    output_is_operator=False)
            cli_run(seen, ["report", name, "--format", fmt, "--mask", "--db", db],
                    output_is_operator=True)
    cli_run(seen, ["generate", "secondary", "PCN00000008", "-o", str(work / "sec.837"),
                   "--db", db, "--at", AT], output_is_operator=True)
    cli_run(seen, ["generate", "secondary", "PCN00000000", "-o", str(work / "sec2.837"),
                   "--db", db, "--at", AT], output_is_operator=True)
    # a guide-valid 837 with PHI: accepted, so validate also writes a 277CA, which by
    # X214 names the patient (2100D NM1*QC) - and must carry nothing else of the PHI
    valid = work / "valid.837"
    cli_run(seen, ["generate", "837", str(phi.claims_json_valid), "-o", str(valid), "--at",
                   AT], output_is_operator=True)
    for fmt in ("text", "json"):
        cli_run(seen, ["validate", str(valid), "--format", fmt, "--ack-dir", str(acks)],
                output_is_operator=True)
    cli_run(seen, ["load", str(valid), "--db", db], output_is_operator=True)
    two77 = [a for a in acks.iterdir() if "277" in a.name]
    assert two77 and all(leaks(a.read_bytes()) for a in two77), "no 277CA naming a patient"
    for ack in sorted(acks.iterdir()):
        seen.check(f"ack {ack.name}", ack.read_bytes(),
                   allowed=NAME_TOKENS if "277" in ack.name else ())
    for line in trap.lines:
        seen.check("log", line)
    return seen


def test_every_cli_command_keeps_phi_out(phi: PhiFiles, tmp_path: Path, trap: Trap) -> None:
    seen = run_every_command(phi, tmp_path, trap)
    assert len(trap.lines) > 0  # DEBUG logging did run
    assert len(list((tmp_path / "acks").iterdir())) >= len(_all_x12(phi))
    seen.assert_clean()


def test_library_exceptions_keep_phi_out(phi: PhiFiles, tmp_path: Path, trap: Trap) -> None:
    """The library called directly: every ClaimhouseError raised over the broken files
    (and the findings' messages) carries no PHI."""
    from claimhouse.models import load_claim_batch
    from claimhouse.parse import ParseOutcome, iter_parsed
    from claimhouse.store import open_store
    from claimhouse.store._files import load_file
    from claimhouse.validate import validate_file

    seen = Checked()
    store = open_store(str(tmp_path / "lib.db"))
    raised = 0
    try:
        for path in _all_x12(phi):
            with contextlib.suppress(ClaimhouseError):
                report = validate_file(path, level=5)
                for finding in report.findings:
                    seen.check(f"finding {path.name} {finding.code}", str(finding))
            for call in (lambda p=path: list(iter_parsed(p, ParseOutcome())),
                         lambda p=path: load_file(store, p)):
                try:
                    call()
                except ClaimhouseError as exc:
                    raised += 1
                    seen.exception(path.name, exc)
        for bad in phi.claims_json_bad:
            try:
                batch = load_claim_batch(json.loads(bad.read_text()))
                from claimhouse.transactions.claims837 import write_claim_batch
                from claimhouse.x12 import SequentialControlNumbers, fixed_clock
                write_claim_batch(batch, io.BytesIO(), sender="S", receiver="R",
                                  clock=fixed_clock(datetime(2026, 3, 1)),
                                  control_numbers=SequentialControlNumbers(1))
            except ClaimhouseError as exc:
                raised += 1
                seen.exception(bad.name, exc)
    finally:
        store.close()
    for line in trap.lines:
        seen.check("log", line)
    assert raised >= 2  # the bad JSON at least
    seen.assert_clean()


def _valid_837(phi: PhiFiles, work: Path) -> bytes:
    out = work / "valid-for-batch.837"
    result = CliRunner().invoke(cli, ["generate", "837", str(phi.claims_json_valid), "-o",
                                      str(out), "--at", AT])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def _batch_drop(root: Path, phi: PhiFiles) -> Path:
    (root / "inbox").mkdir(parents=True)
    (root / "claimhouse.toml").write_text(
        "[drop]\nstable_seconds = 0\nvalidation_level = 5\nload = true\nmax_attempts = 2\n"
        "[emit]\nacks = [\"999\", \"ta1\", \"277ca\"]\nextracts = [\"json\"]\nreport = true\n")
    for path in _all_x12(phi):
        (root / "inbox" / path.name).write_bytes(path.read_bytes())
    (root / "inbox" / "valid-phi.837").write_bytes(_valid_837(phi, root.parent))
    (root / "inbox" / "QQQPHI-named-file.837").write_bytes(phi.good_837[0].read_bytes()[:200])
    return root


def test_batch_runner_keeps_phi_out(phi: PhiFiles, tmp_path: Path) -> None:
    """`batch run --log-json` as a real process at DEBUG: its stdout/stderr, the acks and
    reports in outbox/, reject reasons and every batch journal row are PHI-free. One inbox
    file is named after a patient (QQQPHI-named-file.837): a file's name is the sender's
    choice and is reported as the file's location, so that one name is blanked before
    scanning (the file's content is still scanned everywhere)."""
    drop = _batch_drop(tmp_path / "drop", phi)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([sys.executable, "-c", "from claimhouse.cli import main; main()",
                           "--log-level", "DEBUG", "batch", "run", str(drop), "--log-json"],
                          capture_output=True, env=env, timeout=600, check=False)
    seen = Checked()
    assert proc.returncode in (0, 1), proc.stderr.decode()[-2000:]
    seen.check("batch stdout", proc.stdout)
    seen.check("batch stderr", _drop_file_names(proc.stderr.decode()))
    events = [json.loads(line) for line in proc.stdout.decode().splitlines()
              if line.startswith("{")] + [json.loads(line) for line in
                                          proc.stderr.decode().splitlines()
                                          if line.startswith("{")]
    assert events, "no --log-json events"
    outbox = sorted((drop / "outbox").iterdir())
    assert any(".999" in p.name for p in outbox) and any(".ta1" in p.name.lower()
                                                       for p in outbox), outbox
    # the valid 837 was accepted and answered (the batch writes no 277CA yet, though
    # [emit] acks accepts "277ca": batch/_full.py only builds the 999/TA1)
    assert any(p.name.startswith("valid-phi.837") and ".999" in p.name for p in outbox)
    for p in outbox:
        if p.name.endswith(".json") and not p.name.endswith("report.json"):
            continue  # extracts: the data itself
        seen.check(f"outbox {p.name}", _drop_file_names(p.read_text("latin-1")),
                   allowed=NAME_TOKENS if "277" in p.name else ())
    reasons = sorted((drop / "rejected").glob("*.reason"))
    assert len(reasons) >= 4, reasons
    for p in reasons:
        seen.check(f"reason {p.name}", _drop_file_names(p.read_text()))
    engine = create_engine(f"sqlite:///{drop / 'claimhouse.db'}")
    try:
        with engine.connect() as conn:
            meta = MetaData()
            meta.reflect(conn)
            tables = [t for name, t in meta.tables.items() if name.startswith("batch_")]
            assert {"batch_jobs", "batch_audit"} <= {t.name for t in tables}
            for table in tables:
                rows = conn.execute(select(table)).mappings().all()
                for row in rows:
                    for col, value in row.items():
                        if isinstance(value, str):
                            value = _drop_file_names(value)
                        seen.check(f"{table.name}.{col}",
                                   str(value) if value is not None else None)
            jobs = meta.tables["batch_jobs"]
            states = {r[0] for r in conn.execute(select(jobs.c.state))}
            assert "rejected" in states, states
    finally:
        engine.dispose()
    seen.assert_clean()


def test_batch_watch_keeps_phi_out(phi: PhiFiles, tmp_path: Path) -> None:
    """`batch watch --log-json` at DEBUG until every file is decided (polled on the
    drop's state, not timed), then SIGTERM: its output, outbox acks and reasons."""
    import signal
    import time

    drop = _batch_drop(tmp_path / "drop", phi)
    total = len(list((drop / "inbox").iterdir()))
    (drop / "claimhouse.toml").write_text((drop / "claimhouse.toml").read_text().replace(
        "[emit]", "poll_seconds = 0.2\n[emit]"))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    # files, not pipes: at DEBUG the watch could fill a pipe nobody reads until it stops,
    # block on it, and never decide the last files
    out_file, err_file = tmp_path / "watch.out", tmp_path / "watch.err"
    with out_file.open("wb") as out_sink, err_file.open("wb") as err_sink:
        proc = subprocess.Popen([sys.executable, "-c", "from claimhouse.cli import main; main()",
                                 "--log-level", "DEBUG", "batch", "watch", str(drop),
                                 "--log-json"], stdout=out_sink, stderr=err_sink, env=env)
    decided = 0
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and proc.poll() is None:
            decided = len(list((drop / "rejected").glob("*.reason"))) + sum(
                1 for p in (drop / "archive").rglob("*") if p.is_file())
            if decided >= total:
                break
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    out, err = out_file.read_bytes(), err_file.read_bytes()
    assert decided >= total, err.decode()[-2000:]
    seen = Checked()
    seen.check("watch stdout", _drop_file_names(out.decode()))
    seen.check("watch stderr", _drop_file_names(err.decode()))
    for p in [*(drop / "outbox").iterdir(), *(drop / "rejected").glob("*.reason")]:
        if p.name.endswith(".json") and not p.name.endswith("report.json"):
            continue
        seen.check(p.name, _drop_file_names(p.read_text("latin-1")),
                   allowed=NAME_TOKENS if "277" in p.name else ())
    seen.assert_clean()


def _drop_file_names(text: str) -> str:
    """Remove the one intentional PHI-looking file name (its name is the sender's)."""
    return text.replace("QQQPHI-named-file.837", "<file>").replace(
        "QQQPHI-named-file_837", "<file>")


# --- canaries: the detector catches a leak when a protection is removed -------------------

def test_canary_pyx12_log_silencing_removed(phi: PhiFiles, tmp_path: Path, trap: Trap,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """validate/_pyx12.py runs pyx12 inside ``_quiet_pyx12()``, which detaches the
    'pyx12' logger tree (pyx12 logs element values). Replace it with a no-op context:
    the same run of `validate` now leaks, and the check above reports it."""
    from claimhouse.validate import _pyx12

    monkeypatch.setattr(_pyx12, "_quiet_pyx12", contextlib.nullcontext)
    seen = Checked()
    for name in ("837-name-element.837", "835-patient-element.835", "837-bad-dob.837"):
        cli_run(seen, ["validate", str(phi.broken[name])], output_is_operator=True)
    for line in trap.lines:
        seen.check("log", line)
    assert seen.found, "removing pyx12's log silencing should leak PHI into the logs"
    with pytest.raises(AssertionError, match="PHI leaked"):
        seen.assert_clean()


def test_canary_finding_message_quoting_a_value(phi: PhiFiles, tmp_path: Path, trap: Trap,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The validator writes its own messages for pyx12's errors (pyx12's quote the
    value). Make the translation use pyx12's own message instead: the operator report
    and the 999 path now leak and the check catches it."""
    from claimhouse.validate import _pyx12

    original = _pyx12._segment

    def quoting(name, seg, *args, **kwargs):  # type: ignore[no-untyped-def]
        for finding in original(name, seg, *args, **kwargs):
            quoted = "; ".join(str(e.get("err_str", "")) for e in seg.get("errors", []))
            for ele in seg.get("elements", []):
                quoted += "; " + "; ".join(str(e.get("err_str", ""))
                                           for e in ele.get("errors", []))
            yield type(finding)(finding.code, f"{finding.message} [{quoted}]",
                                finding.location, finding.severity, finding.snip_level)

    monkeypatch.setattr(_pyx12, "_segment", quoting)
    seen = Checked()
    cli_run(seen, ["validate", str(phi.broken["837-name-element.837"])],
            output_is_operator=True)
    assert seen.found, "a message quoting pyx12's text should leak PHI"


def test_sftp_pull_and_push_keep_phi_out(phi: PhiFiles, tmp_path: Path, trap: Trap,
                                         sshd: SshServer) -> None:
    """`batch pull` / `batch push --log-json` against a real sshd at DEBUG (paramiko's
    loggers included): PHI files travel, no PHI reaches a log line or the output."""
    from tests.test_batch_sftp import _drop

    paramiko_log = logging.getLogger("paramiko")
    saved = paramiko_log.level
    paramiko_log.setLevel(logging.DEBUG)
    try:
        drop, remote_in, remote_out = _drop(tmp_path, sshd)
        for path in _all_x12(phi):
            (remote_in / path.name).write_bytes(path.read_bytes())
        (drop / "outbox").mkdir(parents=True, exist_ok=True)
        (drop / "outbox" / "phi-extract.json").write_bytes(phi.good_835[0].read_bytes())
        seen = Checked()
        cli_run(seen, ["batch", "pull", str(drop), "--log-json"], output_is_operator=True)
        cli_run(seen, ["batch", "push", str(drop), "--log-json"], output_is_operator=True)
    finally:
        paramiko_log.setLevel(saved)
    assert len(list((drop / "inbox").iterdir())) == len(_all_x12(phi))
    assert (remote_out / "phi-extract.json").is_file()
    assert any(line.startswith("DEBUG paramiko") for line in trap.lines)
    for line in trap.lines:
        seen.check("log", line)
    seen.assert_clean()
