"""Each 835 balancing finding fires on a file built to break its rule, and only there."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimhouse.transactions.balancing import BALANCING_CODES, check_remittance
from claimhouse.x12 import ENVELOPE_CODES
from tests._835_helpers import read_all

X12 = Path(__file__).resolve().parents[1] / "fixtures" / "x12"


def _codes(name: str, *edits: tuple[str, str]) -> list[str]:
    text = (X12 / name).read_text(encoding="latin-1")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    findings = [f for r in read_all(text.encode("latin-1")) for f in check_remittance(r)]
    for f in findings:  # messages locate by position, never by patient or account data
        assert "ACCT" not in f.message and "DOE" not in f.message
        assert f.location.segment_id in {"SVC", "CLP", "CAS", "BPR"}
    return sorted(f.code for f in findings)


@pytest.mark.parametrize("name", sorted(p.name for p in X12.glob("835-*.x12")))
def test_balanced_fixtures_give_no_finding(name: str) -> None:
    assert _codes(name) == []


def test_line_unbalanced() -> None:
    assert _codes("835-statuses.x12", ("SVC*HC:99213*100.00*80.00**1",
                                       "SVC*HC:99213*100.00*85.00**1")) == [
        "835-line-unbalanced"]


def test_claim_unbalanced() -> None:
    assert _codes("835-statuses.x12",
                  ("CLP*ACCT001*1*100.00*80.00*", "CLP*ACCT001*1*100.00*81.00*"),
                  ("BPR*I*210.00*", "BPR*I*211.00*")) == ["835-claim-unbalanced"]


def test_transaction_unbalanced() -> None:
    assert _codes("835-statuses.x12", ("BPR*I*210.00*", "BPR*I*200.00*")) == [
        "835-transaction-unbalanced"]


def test_negative_payment_instead_of_forward_balance() -> None:
    assert _codes("835-reversal.x12", ("BPR*H*0*", "BPR*H*-70.00*"),
                  ("PLB*1234567893*20261231*FB:NOTIF0002*-70.00~\n", "")) == [
        "835-negative-payment"]


def test_adjustment_at_both_levels() -> None:
    assert _codes("835-statuses.x12",
                  ("CLP*ACCT001*1*100.00*80.00*20.00*12*FHP260001*11*1~\n",
                   "CLP*ACCT001*1*100.00*80.00*20.00*12*FHP260001*11*1~\nCAS*PR*1*5.00~\n"),
                  ("SVC*HC:99213*100.00*80.00**1", "SVC*HC:99213*100.00*85.00**1"),
                  ("CAS*PR*1*20.00", "CAS*PR*1*15.00")) == ["835-adjustment-both-levels"]


def test_reversal_not_negating_its_original() -> None:
    assert _codes("835-reversal.x12", ("CAS*CO*45*-20.00~\nCAS*PR*2*-10.00",
                                       "CAS*CO*45*-25.00~\nCAS*PR*2*-5.00")) == [
        "835-reversal-not-negated"]


def test_reversal_of_an_earlier_835_beside_its_correction() -> None:
    """The original was paid in an earlier 835; this one reverses it (CLP07 FHP260100) and
    pays the correction (same CLP01, new CLP07 FHP260101): the guide's reversal-and-
    correction pattern. The reversal is not compared with the correction."""
    original = ("CLP*ACCT100*1*150.00*120.00*30.00*12*FHP260100*11*1~\n"
                "NM1*QC*1*DOE*JOHN****MI*M0000100~\nSVC*HC:99214*150.00*120.00**1~\n"
                "DTM*472*20260110~\nCAS*CO*45*20.00~\nCAS*PR*2*10.00~\n")
    assert _codes("835-reversal.x12", (original, ""),
                  ("FB:NOTIF0002*-70.00", "FB:NOTIF0002*-190.00"),
                  ("SE*38*0001", "SE*32*0001")) == []
    # a reversal that names no payer claim number is still paired by CLP01
    assert _codes("835-reversal.x12",
                  ("CLP*ACCT100*22*-150.00*-120.00*-30.00*12*FHP260100*11*1",
                   "CLP*ACCT100*22*-150.00*-120.00*-30.00*12**11*1"),
                  ("CAS*CO*45*-20.00~\nCAS*PR*2*-10.00", "CAS*CO*45*-25.00~\nCAS*PR*2*-5.00")
                  ) == ["835-reversal-not-negated"]


def test_reversal_with_positive_amounts() -> None:
    assert _codes("835-statuses.x12",
                  ("CLP*ACCT022*22*-60.00*-45.00*-15.00", "CLP*ACCT022*22*60.00*45.00*15.00"),
                  ("SVC*HC:99213*-60.00*-45.00**-1", "SVC*HC:99213*60.00*45.00**1"),
                  ("CAS*PR*1*-15.00", "CAS*PR*1*15.00"),
                  ("BPR*I*210.00*", "BPR*I*300.00*")) == ["835-reversal-not-negated"]


def test_codes_are_registered_and_distinct_from_envelope_codes() -> None:
    assert set(BALANCING_CODES) == {
        "835-line-unbalanced", "835-claim-unbalanced", "835-transaction-unbalanced",
        "835-negative-payment", "835-adjustment-both-levels", "835-reversal-not-negated",
        "835-interest-unbalanced"}
    assert not set(BALANCING_CODES) & set(ENVELOPE_CODES)
    assert all(c.fix for c in BALANCING_CODES.values())
