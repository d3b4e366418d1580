"""Render HTML files the project writes in a real headless Chromium (Debian's ``chromium``).

Test modules use it with ``from tests.browser import chromium as chromium`` and then::

    def test_page(chromium, tmp_path):
        page = chromium.open(html_file, screenshot=ARTIFACTS / "era.png")
        assert "Total paid" in page.text
        assert page.console_errors == []
        page.page.click("th[data-sort=amount]")   # the live Playwright page, for clicks/JS

Chromium is driven through Playwright's Python client with ``executable_path`` set to the
machine's ``/usr/bin/chromium`` (Playwright's own browser download is never used: this
machine reaches no browser CDN). Network access from the page is blocked by routing every
non-``file:`` request to an abort, so a page that tries to fetch anything records a failed
request in ``blocked_requests`` — the self-contained pages must leave it empty.

Where Chromium is absent the tests skip locally and FAIL under ``CI=true`` (CI installs it).
Screenshots land under ``tests/artifacts/`` (git-ignored) unless a test gives another path,
so a reviewer can open them after a run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = Path(__file__).parent / "artifacts"
"""Where screenshots go by default (git-ignored)."""

HANG_MS = 120_000
"""Playwright waits (launch, navigation, clicks, screenshots) bound a hang only: a loaded CI
machine may need far more than the 30 s default."""

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Flags that keep Chromium from dialling out (this machine's network refuses it)."""


def chromium_path() -> str | None:
    """The machine's Chromium binary, or None."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class RenderedPage:
    """One HTML file as Chromium rendered it."""

    page: Any
    """The live Playwright ``Page`` (valid until the next ``open`` or the session ends)."""
    text: str
    """``document.body.innerText`` after load: what a reader sees, without markup."""
    console_errors: list[str] = field(default_factory=list)
    """Console messages of type error/warning and uncaught page errors."""
    blocked_requests: list[str] = field(default_factory=list)
    """URLs the page tried to fetch off the local file (all refused)."""
    screenshot: Path | None = None

    def refresh_text(self) -> str:
        """Re-read the body text (after a click or script)."""
        self.text = self.page.inner_text("body")
        return self.text


class Chromium:
    """A headless Chromium shared by a test session; ``open`` gives a fresh page per file."""

    def __init__(self, executable: str) -> None:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS,
                                                 timeout=HANG_MS)
        self._page: Any = None

    def open(
        self,
        html_file: Path,
        *,
        screenshot: Path | None = None,
        full_page: bool = True,
        width: int = 1280,
        height: int = 900,
    ) -> RenderedPage:
        """Load ``html_file``, wait for it to settle, and screenshot it when asked."""
        if self._page is not None:
            self._page.close()
        page = self._browser.new_page(viewport={"width": width, "height": height})
        page.set_default_timeout(HANG_MS)  # bounds a hang only (Playwright's default: 30 s)
        self._page = page
        rendered = RenderedPage(page=page, text="")

        def on_console(message: Any) -> None:
            if message.type in ("error", "warning"):
                rendered.console_errors.append(f"{message.type}: {message.text}")

        def on_route(route: Any) -> None:
            url = route.request.url
            if url.startswith(("file:", "data:", "about:")):
                route.continue_()
            else:
                rendered.blocked_requests.append(url)
                route.abort()

        page.on("console", on_console)
        page.on("pageerror", lambda error: rendered.console_errors.append(f"pageerror: {error}"))
        page.route("**/*", on_route)
        page.goto(Path(html_file).resolve().as_uri(), wait_until="load")
        rendered.refresh_text()
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=full_page)
            rendered.screenshot = screenshot
        return rendered

    def close(self) -> None:
        if self._page is not None:
            self._page.close()
        self._browser.close()
        self._pw.stop()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Chromium]:
    """The session's headless Chromium (skipped where absent, a failure under CI)."""
    executable = chromium_path()
    problem = None
    if executable is None:
        problem = "Chromium is not installed (Debian package 'chromium')"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright Python client is not installed (pip install -e '.[test]')"
    if problem is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)
    assert executable is not None
    # Every test module that imports this fixture gets its own session-scoped definition;
    # Playwright's sync API allows one instance per process, so they all share one browser,
    # closed when the last of them is torn down (at the end of the session).
    if not _SHARED:
        _SHARED.append(Chromium(executable))
    _USERS[0] += 1
    try:
        yield _SHARED[0]
    finally:
        _USERS[0] -= 1
        if _USERS[0] == 0:
            _SHARED.pop().close()


_SHARED: list[Chromium] = []
_USERS = [0]
