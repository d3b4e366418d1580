"""The HTML remittance advice in a real headless Chromium: the totals and rows are on the
page, no console errors, nothing fetched, a screenshot a reviewer can open
(tests/artifacts/era-*.png); and the page is valid HTML5 (html5lib's strict parser)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import html5lib
import pytest

from claimhouse.reports._era import write_era
from claimhouse.reports._mask import Masker
from tests._era_build import build_835, header
from tests.browser import ARTIFACTS
from tests.browser import chromium as chromium
from tests.test_era_render import DENIAL, PHI, PHI_IDS, PHI_NAMES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "x12"


def _html(source: bytes | Path, masker: Masker | None = None) -> str:
    out = io.StringIO()
    write_era(source, out, fmt="html", masker=masker)
    return out.getvalue()


@pytest.mark.parametrize("source", [FIXTURES / "835-interest-recovery.x12",
                                    FIXTURES / "835-reversal.x12",
                                    build_835(DENIAL), build_835(PHI)],
                         ids=["interest-recovery", "reversal", "denial", "phi"])
def test_era_html_is_valid_html5(source: bytes | Path) -> None:
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(_html(source))  # raises ParseError on the first error
    assert parser.errors == []


def test_strict_parser_can_fail() -> None:
    with pytest.raises(html5lib.html5parser.ParseError):
        html5lib.HTMLParser(strict=True).parse(
            "<!DOCTYPE html><html><head><title>x</title></head><body><table><p>x</td>"
            "</table></body></html>")


def test_era_in_chromium(chromium, tmp_path: Path) -> None:
    page_file = tmp_path / "era.html"
    page_file.write_text(_html(FIXTURES / "835-interest-recovery.x12"), encoding="utf-8")
    shot = ARTIFACTS / "era-interest-recovery.png"
    page = chromium.open(page_file, screenshot=shot)
    text = page.text
    assert page.console_errors == []
    assert page.blocked_requests == []
    assert shot.stat().st_size > 10_000
    assert "Remittance advice" in text
    assert "FICTIONAL HEALTH PLAN" in text and "EXAMPLE MEDICAL GROUP" in text
    assert "Check/EFT trace number CHK0003" in text
    assert re.search(r"Claims paid \(sum of CLP04\)\s+400\.00\s+2 claims", text)
    assert re.search(r"Provider adjustments \(sum of PLB\)\s+31\.75", text)
    assert re.search(r"Payment \(BPR02\)\s+368\.25\s+✓ balanced", text)
    assert re.search(r"L6 Interest Owed\s+FHP260300\s+1234567893\s+2026-12-31\s+-5\.25", text)
    assert "Claim ACCT300" in text and "Claim ACCT301" in text
    assert "CO Contractual Obligations · CARC 45" in text
    # every claim and line row is there
    assert len(page.page.query_selector_all("article.claim")) == 2
    assert len(page.page.query_selector_all("table.lines > tbody > tr:not(.sub)")) == 3


def test_masked_denial_era_in_chromium(chromium, tmp_path: Path) -> None:
    page_file = tmp_path / "era-masked.html"
    body = [*header("180.00"), *DENIAL[10:-1], *PHI[10:], DENIAL[-1]]
    page_file.write_text(_html(build_835(body), Masker()), encoding="utf-8")
    shot = ARTIFACTS / "era-denial-masked.png"
    page = chromium.open(page_file, screenshot=shot, width=900)
    text = page.text
    assert page.console_errors == [] and page.blocked_requests == []
    assert "patients masked" in text
    assert "Denied" in text and "CARC Z99: unknown code" in text
    for secret in PHI_NAMES + PHI_IDS:
        assert secret.lower() not in text.lower()
    assert re.search(r"PATIENT-[0-9A-F]{6}", text)
    assert re.search(r"Payment \(BPR02\)\s+180\.00\s+✓ balanced", text)
