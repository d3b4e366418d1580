"""Code texts shipped as data: every file names its source and date, every code the 835
guide allows (pyx12's map) has a text, and an unknown code is "unknown code", not an error."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import pyx12
from lxml import etree

from claimhouse.codes import KINDS, UNKNOWN_CODE, carc_description, describe, label, table

MAP = Path(pyx12.__file__).parent / "map" / "835.5010.X221.A1.xml"


def _valid_codes(xid: str) -> set[str]:
    tree = etree.parse(str(MAP))
    return {c.text for el in tree.iter("element") if el.get("xid") == xid
            for c in el.iter("code") if c.text}


@pytest.mark.parametrize("name", sorted(
    p.name for p in resources.files("claimhouse").joinpath("data").iterdir()
    if p.name.endswith(".tsv")))
def test_every_code_file_names_source_and_date(name: str) -> None:
    text = resources.files("claimhouse").joinpath("data", name).read_text("utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any("source" in h.lower() or "http" in h for h in header), name
    assert any(h.startswith("# date:") for h in header), name


@pytest.mark.parametrize(("kind", "xid"), [
    ("claim_status", "CLP02"), ("group", "CAS01"), ("plb", "PLB03-01"),
    ("handling", "BPR01"), ("credit_debit", "BPR03"), ("payment_method", "BPR04"),
    ("payment_format", "BPR05"), ("claim_filing", "CLP06")])
def test_every_code_the_guide_allows_has_a_text(kind: str, xid: str) -> None:
    allowed = _valid_codes(xid)
    assert allowed, xid
    assert allowed <= set(table(kind)), sorted(allowed - set(table(kind)))


def test_describe_and_label() -> None:
    assert describe("claim_status", "22") == "Reversal of Previous Payment"
    assert describe("claim_status", "4") == "Denied"
    assert describe("group", "PR") == "Patient Responsibility"
    assert describe("plb", "WO") == "Overpayment Recovery"
    assert describe("plb", "L6") == "Interest Owed"
    assert describe("payment_method", "ACH") == "Automated Clearing House (ACH)"
    assert describe("rarc", "n130") == describe("rarc", "N130") is not None
    assert describe("carc", "45") is not None
    assert describe("pos", "11") == "Office"
    for kind in KINDS:
        assert describe(kind, "ZZZ-NOT-A-CODE") is None
        assert label(kind, "ZZZ-NOT-A-CODE") == UNKNOWN_CODE
        assert describe(kind, None) is None
    assert carc_description("45") == describe("carc", "45")  # the older API still answers
