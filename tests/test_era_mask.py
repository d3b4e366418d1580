"""The Masker: stable, salted tokens for names, member ids, dates of birth, addresses."""

from __future__ import annotations

from datetime import date

from claimhouse.reports._mask import Masker


def test_tokens_are_stable_and_normalised() -> None:
    a, b = Masker(), Masker()
    assert a.name("DOE, JANE") == b.name("doe,  jane ") == a.name("DOE, JANE")
    assert a.name("DOE, JANE").startswith("PATIENT-")
    assert len(a.name("DOE, JANE")) == len("PATIENT-") + 6
    assert a.member_id("W123") != a.member_id("W124")
    assert a.birth_date(date(1980, 1, 2)) == a.dob("1980-01-02")
    assert a.address("1 MAIN ST").startswith("ADDRESS-")
    assert a.text("x").startswith("TEXT-")


def test_kind_and_salt_separate_tokens() -> None:
    m = Masker()
    assert m.name("W123")[-6:] != m.member_id("W123")[-6:]
    assert Masker(salt=b"report-1").name("DOE") != Masker(salt=b"report-2").name("DOE")


def test_disabled_and_empty_pass_through() -> None:
    off = Masker(enabled=False)
    assert off.name("DOE, JANE") == "DOE, JANE"
    assert off.birth_date(date(1980, 1, 2)) == "1980-01-02"
    assert Masker().name("") == ""
