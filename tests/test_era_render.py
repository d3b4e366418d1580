"""The ERA in words: reversals, denials, PLB provider adjustments, unknown codes, payment
method and status texts; --mask leaves no patient name or member id in the output while
the patient control numbers and amounts stay; the CLI's formats and exit codes."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimhouse.cli import cli
from claimhouse.reports._era import write_era
from claimhouse.reports._mask import Masker
from tests._era_build import build_835, header

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "x12"


def era(data: bytes | Path, fmt: str = "text", masker: Masker | None = None) -> str:
    out = io.StringIO()
    write_era(data, out, fmt=fmt, masker=masker)
    return out.getvalue()


def test_reversal_fixture_in_words() -> None:
    text = era(FIXTURES / "835-reversal.x12")
    assert "Status 22 Reversal of Previous Payment  ** REVERSAL **" in text
    assert "Notification Only" in text and "by Non-Payment Data" in text
    assert re.search(r"^  FB Forwarding Balance ref NOTIF0002 .* -70\.00$", text, re.M)
    assert re.search(r"Payment \(BPR02\)\s+0\.00   ✓ balanced", text)


def test_plb_fixture_in_words() -> None:
    text = era(FIXTURES / "835-interest-recovery.x12")
    assert re.search(r"^  L6 Interest Owed ref FHP260300 .*-5\.25$", text, re.M)
    assert re.search(r"^  WO Overpayment Recovery ref FHP250777 .*30\.00$", text, re.M)
    assert re.search(r"^  72 Authorized Return ref REFUND9 .*-12\.00$", text, re.M)
    assert re.search(r"Provider adjustments \(sum of PLB\)\s+31\.75   withheld", text)
    assert re.search(r"Net \(CLP04 - PLB\)\s+368\.25", text)
    # allowed: AMT*AU on the claim, AMT*B6 on the line (no derivation mark)
    assert re.search(r"Claim totals\s+500\.00\s+500\.00\s+400\.00\s+100\.00", text)
    assert re.search(r"HC 99215-25\s+1\s+300\.00\s+280\.00\s+250\.00", text)


def test_statuses_fixture_every_status_in_words() -> None:
    text = era(FIXTURES / "835-statuses.x12")
    for words in ("Processed as Primary", "Processed as Secondary", "Processed as Tertiary",
                  "Denied  ** DENIED **",
                  "Processed as Primary, Forwarded to Additional Payer(s)",
                  "Not Our Claim, Forwarded to Additional Payer(s)",
                  "Predetermination Pricing Only - No Payment"):
        assert words in text, words


DENIAL = [
    *header("0.00", method="NON", handling="H"),
    "CLP*PCN-D1*4*250.00*0*0*12*PAYCLM1*11*1",
    "CAS*CO*50*250.00",
    "NM1*QC*1*PATIENT*DENIED****MI*MD0001",
    "MOA***N130*ZZ123",
    "SVC*HC:99213:25:59*250.00*0**1",
    "DTM*472*20260105",
    "CAS*OA*Z99*0",
    "LQ*HE*N130",
    "CLP*PCN-D2*99*10.00*0*0*12*PAYCLM2*11*1",
    "CAS*CO*45*10.00",
    "NM1*QC*1*PATIENT*OTHER****MI*MD0002",
    "PLB*1234567893*20261231*Q9:REF1*0",
]


def test_denial_and_unknown_codes_in_words() -> None:
    text = era(build_835(DENIAL))
    assert "Status 4 Denied  ** DENIED **" in text
    assert "CO Contractual Obligations / CARC 50: " in text
    assert "CARC 50: Non-covered: not deemed a medical" in text
    assert "OA Other Adjustments / CARC Z99: unknown code" in text
    assert "Remark ZZ123 (MOA): unknown code" in text
    assert "Remark N130 (LQ): Consult plan benefit" in text
    assert "Status 99 unknown code" in text
    assert re.search(r"^  Q9 unknown code ref REF1 ", text, re.M)
    assert "HC 99213-25-59" in text
    html = era(build_835(DENIAL), "html")
    assert "CARC Z99: unknown code" in html and "Denied</span>" in html


PHI_NAMES = ("QUIXOTE", "ZEBEDEE", "FARNSWORTH", "HUBERT", "MORTIMER")
PHI_IDS = ("MEMQX98765", "SUBFH55501", "CORR77731")
PHI = [
    *header("180.00"),
    "CLP*PCN-M1*1*200.00*120.00*30.00*12*PAYCLM-M1*11*1",
    "NM1*QC*1*QUIXOTE*ZEBEDEE*Q***MI*MEMQX98765",
    "NM1*IL*1*FARNSWORTH*HUBERT****MI*SUBFH55501",
    "NM1*74*1*QUIXOTE*MORTIMER****C*CORR77731",
    "SVC*HC:99214*200.00*120.00**1",
    "DTM*472*20260110",
    "CAS*CO*45*50.00",
    "CAS*PR*2*30.00",
    "CLP*PCN-M2*1*80.00*60.00*20.00*12*PAYCLM-M2*11*1",
    "NM1*QC*1*QUIXOTE*ZEBEDEE*Q***MI*MEMQX98765",
    "SVC*HC:99213*80.00*60.00**1",
    "CAS*PR*3*20.00",
]


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_mask_removes_names_and_member_ids(fmt: str) -> None:
    data = build_835(PHI)
    plain = era(data, fmt)
    assert all(p in plain for p in ("QUIXOTE", "MEMQX98765"))  # the seed is really there
    masked = era(data, fmt, Masker())
    for secret in PHI_NAMES + PHI_IDS:
        assert secret.lower() not in masked.lower(), secret
    for kept in ("PCN-M1", "PCN-M2", "PAYCLM-M1", "200.00", "120.00", "180.00",
                 "FICTIONAL HEALTH PLAN", "EXAMPLE MEDICAL GROUP", "1234567893"):
        assert kept in masked, kept
    tokens = re.findall(r"PATIENT-[0-9A-F]{6}", masked)
    assert tokens and len(set(tokens)) == 2  # the patient (twice, same token) and the insured
    members = re.findall(r"MEMBER-[0-9A-F]{6}", masked)
    assert len(set(members)) == 2  # the patient's id (both claims) and the subscriber's
    assert era(data, fmt, Masker()) == masked  # stable across runs


def test_cli_text_html_and_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli, ["era", str(FIXTURES / "835-interest-recovery.x12")])
    assert ok.exit_code == 0, ok.output
    assert "✓ balanced" in ok.output
    page = tmp_path / "era.html"
    res = runner.invoke(cli, ["era", str(FIXTURES / "835-sample.x12"), "--format", "html",
                              "-o", str(page), "--mask"])
    assert res.exit_code == 0, res.output
    assert page.stat().st_mode & 0o777 == 0o600  # names patients: private like every output
    html = page.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "patients masked" in html
    bad = tmp_path / "unbalanced.x12"
    bad.write_bytes(build_835(header("999.00") + PHI[10:]))
    res = runner.invoke(cli, ["era", str(bad)])
    assert res.exit_code == 1
    assert "✗ MISMATCH" in res.output and "do not balance" in res.output


def test_html_escapes_file_values() -> None:
    body = header("0.00", method="NON", handling="H")
    body[3] = "N1*PR*<script>alert(1)</script> & CO*XV*FHP01"
    html = era(build_835(body), "html")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; CO" in html


def test_segments_that_did_not_convert_are_named_not_dropped_silently() -> None:
    body = [*header("10.00"), "CLP*PCN-X1*1*10.00*10.00*0*12*PAYCLM-X1*11*1",
            "CAS*CO*45*ABC", "PLB*1234567893*20261231*WO:R1*XYZ"]
    for fmt in ("text", "html"):
        out = era(build_835(body), fmt)
        assert out.count("1 CAS segment(s) did not (fully) convert") == 1
        assert out.count("1 PLB segment(s) did not (fully) convert") == 1


def test_an_004010_835_is_read_with_a_note(tmp_path: Path) -> None:
    old = tmp_path / "old.835"
    old.write_bytes(build_835(PHI).replace(b"005010X221A1", b"004010X091A1"))
    res = CliRunner().invoke(cli, ["era", str(old)])
    assert res.exit_code == 0, res.output
    assert "Note: this set declares 004010X091A1; read with the 005010X221A1 definition" in (
        res.output)
    assert "is not 005010X221A1; read with that definition" in res.output  # the warning
    assert re.search(r"Payment \(BPR02\)\s+180\.00   ✓ balanced", res.output)
