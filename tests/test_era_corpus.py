"""The text ERA of every valid 835 of the public corpus (5010 and 4010) prints, per
remittance, the file's BPR02, the sum of its CLP04s and the sum of its PLB amounts -
computed here with a plain split of the file, independently of the project's tokenizer and
835 reader - and says "balanced" exactly when sum CLP04 - sum PLB = BPR02."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from claimhouse.reports._era import write_era
from tests.conftest import CORPUS, corpus_params


def _valid_835(row: dict[str, str]) -> bool:
    """Every 835 the corpus calls valid, of any version (004010 sets are read with the 5010
    definition, with a note)."""
    return row["transaction"] == "835" and row["valid_hint"].startswith("valid")


@dataclass
class Plain:
    bpr02: Decimal = Decimal(0)
    clp04: list[Decimal] = field(default_factory=list)
    plb: list[Decimal] = field(default_factory=list)


def plain_split(data: bytes) -> list[Plain]:
    """Delimiters from the fixed ISA offsets, then str.split; only 835 sets."""
    text = data.decode("latin-1")
    out: list[Plain] = []
    pos = text.find("ISA")
    current: Plain | None = None
    while pos != -1:
        elem = text[pos + 3]
        cut = pos
        for _ in range(16):
            cut = text.index(elem, cut + 1)
        comp, term = text[cut + 1], text[cut + 2]
        rest = text[cut + 2:].lstrip("\r\n")
        if term in "\r\n" and rest and not rest[0].isalnum():
            term = rest[0]  # a line break before each terminator (tigershark's 4010 files)
        end = text.find("ISA" + elem, pos + 106)
        for raw in text[pos:end if end != -1 else len(text)].split(term):
            seg = raw.strip("\r\n \t\ufeff").split(elem)
            if seg[0] == "ST":
                current = Plain() if seg[1] == "835" else None
                if current is not None:
                    out.append(current)
            elif current is None:
                continue
            elif seg[0] == "BPR":
                if not re.fullmatch(r"-?\d+(\.\d*)?", seg[2]):
                    pytest.skip("this sample's BPR02 is not an amount")
                current.bpr02 = Decimal(seg[2])
            elif seg[0] == "CLP":
                # a truncated CLP (no CLP04) pays nothing
                current.clp04.append(Decimal(seg[4]) if len(seg) > 4 and seg[4] else Decimal(0))
            elif seg[0] == "PLB":
                # PLB03/05/07...: composite reason:reference, followed by its amount
                for i in range(3, len(seg) - 1, 2):
                    if seg[i] and seg[i + 1]:
                        assert seg[i].split(comp)[0]
                        current.plb.append(Decimal(seg[i + 1]))
        pos = end
    return out


_AMOUNT = r"\s+(-?[\d,]+\.\d\d)"


def printed(text: str, label: str) -> list[Decimal]:
    return [Decimal(m.replace(",", "")) for m in
            re.findall(r"^  " + re.escape(label) + _AMOUNT, text, re.M)]


@pytest.mark.corpus
@pytest.mark.parametrize("row", corpus_params(_valid_835))
def test_text_era_totals_equal_the_file(row: dict[str, str]) -> None:
    data = (CORPUS / row["local_path"]).read_bytes()
    expected = plain_split(data)
    out = io.StringIO()
    outcome = write_era(data, out, fmt="text")
    text = out.getvalue()
    assert outcome.remittances == len(expected)
    assert printed(text, "Payment (BPR02)") == [p.bpr02 for p in expected]
    assert printed(text, "Claims paid (sum of CLP04)") == [sum(p.clp04, Decimal(0))
                                                           for p in expected]
    assert printed(text, "Provider adjustments (sum of PLB)") == [sum(p.plb, Decimal(0))
                                                                  for p in expected]
    verdicts = re.findall(r"^  Payment \(BPR02\).*?(✓ balanced|✗ MISMATCH)", text, re.M)
    assert verdicts == ["✓ balanced" if sum(p.clp04, Decimal(0)) - sum(p.plb, Decimal(0))
                        == p.bpr02 else "✗ MISMATCH" for p in expected]
    assert outcome.unbalanced == verdicts.count("✗ MISMATCH")
    assert len(re.findall(r"^Claim \d+  Patient control no\.", text, re.M)) == sum(
        len(p.clp04) for p in expected)
