"""The full pipeline: validation (pyx12, SNIP 2) with 999/TA1 written once, 837 claims and
835 remittances loaded into the store in the job's commit, reconcile after the run, and a
kill -9 crash run ending with the same store rows as an uninterrupted one."""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select

from claimhouse.batch import Runner, load_config
from claimhouse.batch._faults import steps_taken
from claimhouse.batch._workers import run_workers
from claimhouse.store._tables import (
    ClaimPaymentRow,
    ClaimRow,
    FileRow,
    ReconcileRunRow,
    RemittanceRow,
    ServiceLineRow,
)
from claimhouse.testing._postgres import PostgresServer
from tests.batch_build import interchange, make_drop, valid_837
from tests.conftest_pg import postgres as postgres  # the fixture

ROOT = Path(__file__).resolve().parents[1]
FULL = "[drop]\nstable_seconds = 0\nmax_attempts = 100\nvalidation_level = 2\n"


def _835(name: str, trace_suffix: str = "") -> bytes:
    """A project 835 fixture (no ST03: Not Used in the 835), with its trace made unique."""
    data = (ROOT / "fixtures" / "x12" / name).read_bytes()
    return data.replace(b"TRN*1*EFT", b"TRN*1*EFT" + trace_suffix.encode())


_FINAL = ("import sys; from claimhouse.batch import Runner, load_config; "
          "s = Runner(load_config(sys.argv[1])).run_once(); "
          "print(*s.error_messages, sep='\\n', file=sys.stderr); sys.exit(3 if s.errors else 0)")
"""The run after the crashes: it finishes everything, and says why when it cannot."""


def _count(url: str, table: Any) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        n = int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)
    engine.dispose()
    return n


def test_validate_ack_load_and_reconcile(tmp_path: Path) -> None:
    drop = make_drop(tmp_path / "drop", FULL)
    inbox = drop / "inbox"
    (inbox / "a-claims.837").write_bytes(valid_837(501))
    (inbox / "b-remit.835").write_bytes(_835("835-sample.x12"))
    (inbox / "c-again.837").write_bytes(valid_837(501))  # same bytes
    (inbox / "d-same-isa13.837").write_bytes(valid_837(501, sender="CLINIC1").replace(
        b"*CH~", b"*RP~", 1))  # other bytes, same sender + ISA13
    broken = valid_837(502).replace(b"~NM1*41*", b"~NM1*41*9*", 1)  # bad entity type
    (inbox / "e-invalid.837").write_bytes(broken)
    (inbox / "f-bad-envelope.837").write_bytes(valid_837(503)[:-20])

    with Runner(load_config(drop)) as runner:
        summary = runner.run_once()

    assert summary.accepted == 2 and summary.rejected == 4 and summary.errors == 0
    reasons = {p.name[:-7]: p.read_text() for p in (drop / "rejected").glob("*.reason")}
    assert reasons["c-again.837"].startswith("duplicate: same bytes")
    assert reasons["d-same-isa13.837"].startswith("duplicate interchange")
    assert "SNIP 2" in reasons["e-invalid.837"]
    assert reasons["f-bad-envelope.837"].startswith(("se-", "ge-", "iea-"))
    outbox = sorted(p.name for p in (drop / "outbox").iterdir())
    assert "a-claims.837.1.999.x12" in outbox and "b-remit.835.2.999.x12" in outbox
    assert "e-invalid.837.5.999.x12" in outbox  # the rejection is acknowledged
    assert any(n.startswith("f-bad-envelope.837.6.ta1") for n in outbox)
    ack = (drop / "outbox" / "e-invalid.837.5.999.x12").read_bytes()
    assert b"IK5*R" in ack and b"AK9*R" in ack
    assert b"IK5*A" in (drop / "outbox" / "a-claims.837.1.999.x12").read_bytes()
    for repeat in ("c-again.837.3", "d-same-isa13.837.4"):  # one TA1 025 each, no 999
        assert [n for n in outbox if n.startswith(repeat)] == [f"{repeat}.ta1.x12"]
        ta1 = (drop / "outbox" / f"{repeat}.ta1.x12").read_bytes()
        assert re.search(rb"TA1\*000000501\*\d{6}\*\d{4}\*R\*025~", ta1), ta1

    url = load_config(drop).database_url
    assert _count(url, FileRow) == 2
    assert _count(url, ClaimRow) == 5  # the fixture's five claims, once
    assert _count(url, RemittanceRow) == 1
    assert _count(url, ReconcileRunRow) == 1


def _store_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = create_engine(url)
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for row_cls in (ClaimRow, ServiceLineRow, RemittanceRow, ClaimPaymentRow, FileRow):
            table = row_cls.__table__  # type: ignore[attr-defined]
            cols = [c for c in table.columns if not c.name.endswith("_at")]
            out[table.name] = sorted(
                tuple(r) for r in conn.execute(select(*cols)).all())
    engine.dispose()
    return out


def test_kill_9_with_the_store_loads_every_claim_once(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for n in range(8):
        (source / f"c{n}.837").write_bytes(valid_837(600 + n))
    (source / "r0.835").write_bytes(_835("835-sample.x12"))
    (source / "r1.835").write_bytes(_835("835-reversal.x12"))
    (source / "dup.837").write_bytes(valid_837(600))
    (source / "junk.837").write_bytes(interchange(700)[:50])
    reference, crashed = make_drop(tmp_path / "ref", FULL), make_drop(tmp_path / "crash", FULL)
    for drop in (reference, crashed):
        for f in source.iterdir():
            shutil.copy2(f, drop / "inbox" / f.name)
    before = steps_taken()
    with Runner(load_config(reference)) as runner:
        assert runner.run_once().errors == 0
    total = steps_taken() - before
    points = sorted(random.Random(5).sample(range(1, total), 6))
    worker = [sys.executable, "-c", "import sys; from claimhouse.batch import Runner, "
              "load_config; Runner(load_config(sys.argv[1])).run_once()", str(crashed)]
    killed = 0
    for gap in (b - a for a, b in zip([0, *points], points, strict=False)):
        env = {**os.environ, "CLAIMHOUSE_BATCH_KILL_AT_STEP": str(gap)}
        proc = subprocess.run(worker, env=env, capture_output=True, timeout=300, check=False)
        assert proc.returncode in (0, -signal.SIGKILL), proc.stderr[-2000:]
        killed += proc.returncode == -signal.SIGKILL
    final = subprocess.run([*worker[:2], _FINAL, str(crashed)], capture_output=True,
                           text=True, timeout=300, check=False)
    assert final.returncode == 0, final.stderr[-2000:]  # the faults of the last run, if any
    assert killed == 6

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for sub in ("archive", "rejected",
                "outbox", "inbox", "work") for p in (root / sub).rglob("*") if p.is_file()}

    want, got = files(reference), files(crashed)
    assert sorted(got) == sorted(want)  # same places, one ack per file, nothing left over
    stamp = re.compile(rb"\*\d{6}\*\d{4}\*|\*\d{8}\*\d{4}\*")  # ack ISA09/10, GS04/05
    for name in want:
        assert stamp.sub(b"", got[name]) == stamp.sub(b"", want[name]), name
    assert _store_rows(load_config(crashed).database_url) == _store_rows(
        load_config(reference).database_url)


def test_two_workers_load_the_store_on_postgresql(tmp_path: Path,
                                                  postgres: PostgresServer) -> None:
    url = postgres.create_database()
    drop = make_drop(tmp_path / "drop", FULL + f"[database]\nurl = '{url}'\n")
    for n in range(6):  # the same five claims in every file: each load replaces them
        (drop / "inbox" / f"c{n}.837").write_bytes(valid_837(800 + n))
    (drop / "inbox" / "r0.835").write_bytes(_835("835-sample.x12"))
    (drop / "inbox" / "r1.835").write_bytes(_835("835-statuses.x12"))
    summary = run_workers(drop, 2)  # store loads are serialised: no race, no retry run
    assert summary.errors == 0, summary.error_messages
    assert summary.accepted == 8 and summary.rejected == 0
    assert not list((drop / "work").iterdir())
    assert _count(url, FileRow) == 8
    assert _count(url, ClaimRow) == 5
    assert _count(url, RemittanceRow) == 2
    assert len(list((drop / "outbox").glob("*.999.x12"))) == 8


def test_277ca_written_when_the_drop_asks_for_it(tmp_path: Path) -> None:
    from claimhouse.acks._read277 import read_277ca
    from claimhouse.x12 import EnvelopeReader

    config = FULL + '[emit]\nacks = ["999", "ta1", "277ca"]\n'
    drop = make_drop(tmp_path / "drop", config)
    (drop / "inbox" / "a-claims.837").write_bytes(valid_837(601))
    (drop / "inbox" / "b-remit.835").write_bytes(_835("835-sample.x12", "X"))
    with Runner(load_config(drop)) as runner:
        summary = runner.run_once()
    assert summary.accepted == 2 and summary.rejected == 0
    outbox = sorted(p.name for p in (drop / "outbox").iterdir())
    # one 277CA, for the 837 (none for an 835)
    assert [n for n in outbox if "277ca" in n] == ["a-claims.837.1.277ca.x12"]
    sets = [read_277ca(ts) for ts in
            EnvelopeReader(drop / "outbox" / "a-claims.837.1.277ca.x12").transaction_sets()]
    claims = [c for s in sets for c in s.claims]
    assert len(claims) == 5 and all(c.accepted for c in claims)
    # its control numbers do not collide with the 999 of the same job
    isa13 = {(drop / "outbox" / n).read_bytes()[90:99] for n in outbox
             if n.startswith("a-") and n.endswith(".x12")}
    assert len(isa13) == 2


def test_277ca_not_written_by_default(tmp_path: Path) -> None:
    drop = make_drop(tmp_path / "drop", FULL)
    (drop / "inbox" / "a-claims.837").write_bytes(valid_837(602))
    with Runner(load_config(drop)) as runner:
        runner.run_once()
    assert not list((drop / "outbox").glob("*277ca*"))
