"""The Chromium harness itself: it must see console errors and off-file requests, or the
HTML tests that assert "no console errors / no network" could never fail."""

from __future__ import annotations

from pathlib import Path

from tests.browser import ARTIFACTS
from tests.browser import chromium as chromium


def test_harness_reports_text_errors_and_blocked_requests(chromium, tmp_path: Path) -> None:
    page_file = tmp_path / "probe.html"
    page_file.write_text(
        "<!doctype html><html><head><title>probe</title>"
        '<link rel="stylesheet" href="https://example.invalid/x.css"></head>'
        "<body><h1>Total paid 1,234.56</h1>"
        "<script>console.error('deliberate'); undefinedFunction();</script></body></html>",
        encoding="utf-8",
    )
    shot = ARTIFACTS / "harness-probe.png"
    page = chromium.open(page_file, screenshot=shot)
    assert "Total paid 1,234.56" in page.text
    assert any("deliberate" in e for e in page.console_errors)
    assert any(e.startswith("pageerror:") for e in page.console_errors)
    assert page.blocked_requests == ["https://example.invalid/x.css"]
    assert shot.stat().st_size > 1000


def test_harness_clean_page(chromium, tmp_path: Path) -> None:
    page_file = tmp_path / "clean.html"
    page_file.write_text(
        "<!doctype html><html><head><title>clean</title><style>b{color:red}</style></head>"
        "<body><b id=x>one</b><script>document.getElementById('x').textContent='two'</script>"
        "</body></html>",
        encoding="utf-8",
    )
    page = chromium.open(page_file)
    assert page.text.strip() == "two"
    assert page.console_errors == []
    assert page.blocked_requests == []
    page.page.evaluate("document.getElementById('x').textContent='three'")
    assert page.refresh_text().strip() == "three"
