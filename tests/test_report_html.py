"""The HTML reconciliation report (``claimhouse report dashboard --format html``) rendered
in a real headless Chromium over the synthetic workload with known truth: tiles equal the
JSON report's numbers, the denials worklist holds every denied claim, clicking a header
sorts, the filter filters, no console errors, no network; and the worklists' numbers add
up (on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from claimhouse.cli import cli
from claimhouse.reconcile import reconcile
from claimhouse.reports._html import money
from claimhouse.reports._worklists import DENIAL_COLUMNS
from claimhouse.store import open_store
from claimhouse.store._load import add_claims, add_remittances
from claimhouse.testing._workload import CASES, Workload, generate_workload
from tests.browser import ARTIFACTS
from tests.browser import chromium as chromium
from tests.conftest_pg import db_url as db_url
from tests.conftest_pg import postgres as postgres

N = len(CASES) * 20
AMOUNT = DENIAL_COLUMNS.index("denied_amount")
AS_OF = "2026-06-30"


@pytest.fixture(scope="module")
def work() -> Workload:
    return generate_workload(N)


def load(url: str, work: Workload) -> str:
    store = open_store(url)
    with store.session() as s:
        add_claims(s, work.claims)
    with store.session() as s:
        add_remittances(s, work.remittances)
    reconcile(store)
    store.close()
    return url


@pytest.fixture(scope="module")
def sqlite_db(work: Workload, tmp_path_factory: pytest.TempPathFactory) -> str:
    return load(str(tmp_path_factory.mktemp("report") / "claims.db"), work)


def report(db: str, name: str, fmt: str, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["report", name, "--format", fmt, "--as-of", AS_OF,
                                      "--db", db, *extra], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def json_report(db: str, name: str) -> Any:
    return json.loads(report(db, name, "json"))


@pytest.fixture(scope="module")
def dashboard(sqlite_db: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "report.html"
    report(sqlite_db, "dashboard", "html", "-o", str(out))
    return out


def test_dashboard_in_chromium(chromium: Any, dashboard: Path, sqlite_db: str,
                               work: Workload) -> None:
    shot = ARTIFACTS / "report-dashboard.png"
    page = chromium.open(dashboard, screenshot=shot)
    print(f"screenshot: {shot}")
    assert page.console_errors == []
    assert page.blocked_requests == []
    assert shot.stat().st_size > 10_000
    data = json_report(sqlite_db, "dashboard")
    totals = data["totals"][0]
    for tile, key in (("billed", "billed"), ("paid", "paid"), ("adjusted", "adjusted"),
                      ("patient", "patient_responsibility"), ("outstanding", "outstanding")):
        shown = page.page.inner_text(f"#tile-{tile} .v")
        assert shown == money(Decimal(totals[key])), tile
    # the tiles against the other reports and the workload's truth
    summary = json_report(sqlite_db, "summary")
    claims = [r for r in summary["claims by state"] if r["state"] != "unmatched remit"]
    assert Decimal(totals["billed"]) == sum(Decimal(r["billed"]) for r in claims)
    assert Decimal(totals["paid"]) == sum(t.paid for t in work.expected.values())
    assert Decimal(totals["patient_responsibility"]) == sum(
        t.patient_responsibility for t in work.expected.values())
    aging = json_report(sqlite_db, "aging")
    assert Decimal(totals["outstanding"]) == Decimal(aging[-1]["total"])
    assert totals["unmatched_remits"] == len(work.unmatched_pcns)
    # the denials worklist: every denied claim, reason code and its text
    rows = page.page.eval_on_selector_all(
        "#t-denials-worklist tbody tr",
        "rows => rows.map(r => Array.from(r.cells, c => c.textContent))")
    denied = sorted(p for p, t in work.expected.items() if t.state == "denied")
    assert sorted(r[0] for r in rows) == denied
    assert {r[5] for r in rows} == {"CO-29"}
    assert all("time limit for filing" in r[6] for r in rows)
    assert all(r[7] == "MA130" for r in rows)
    # four charts, each with a title and a description a screen reader reads
    charts = page.page.eval_on_selector_all(
        "svg[role=img]", "s => s.map(x => [x.querySelector('title').textContent, "
        "x.querySelector('desc').textContent])")
    assert [c[0] for c in charts] == ["Accounts receivable aging",
                                      "Top denial reasons by CARC",
                                      "Paid vs expected per payer", "Days to payment"]
    assert "CO-29 The time limit for filing has expired." in charts[1][1]


def _column(page: Any, table: str, col: int) -> list[str]:
    return page.page.eval_on_selector_all(
        f"#{table} tbody tr:not([hidden])", f"rows => rows.map(r => r.cells[{col}].textContent)")


def test_sort_and_filter_by_clicking(chromium: Any, dashboard: Path) -> None:
    page = chromium.open(dashboard)
    table = "t-denials-worklist"
    amounts = [Decimal(v.replace(",", "")) for v in _column(page, table, AMOUNT)]
    assert amounts == sorted(amounts, reverse=True)  # the page's own order: largest first
    page.page.click(f"#{table} th[data-sort=denied_amount]")
    up = [Decimal(v.replace(",", "")) for v in _column(page, table, AMOUNT)]
    assert up == sorted(amounts) and up != amounts
    assert page.page.get_attribute(f"#{table} th[data-sort=denied_amount]",
                                   "aria-sort") == "ascending"
    page.page.click(f"#{table} th[data-sort=denied_amount]")
    assert [Decimal(v.replace(",", "")) for v in _column(page, table, AMOUNT)] == sorted(
        amounts, reverse=True)
    page.page.click(f"#{table} th[data-sort=patient_control_number]")
    pcns = _column(page, table, 0)
    assert pcns == sorted(pcns)
    box = page.page.locator(f"#{table}").locator("xpath=../preceding-sibling::input[1]")
    box.fill(pcns[3])
    assert _column(page, table, 0) == [pcns[3]]
    assert "1 of " in page.refresh_text()
    box.fill("")
    assert len(_column(page, table, 0)) == len(pcns)
    assert page.console_errors == []


def test_self_contained(dashboard: Path, sqlite_db: str, tmp_path: Path) -> None:
    pages = [dashboard.read_text(encoding="utf-8")]
    for name in ("underpayments", "unmatched", "summary"):
        pages.append(report(sqlite_db, name, "html"))
    for html in pages:
        assert html.startswith("<!DOCTYPE html>")
        assert "Content-Security-Policy" in html and "default-src 'none'" in html
        assert re.search(r"https?://", html) is None
        assert re.search(r"<(script|img|iframe)\b[^>]*\bsrc=", html, re.I) is None
        assert re.search(r"<link\b", html, re.I) is None
        assert "@import" not in html and "url(" not in html


def test_large_tables_paginate(sqlite_db: str) -> None:
    from datetime import date

    from claimhouse.reports import ReportFilter
    from claimhouse.reports._dashboard import dashboard_report
    from claimhouse.reports._html_dashboard import dashboard_html

    store = open_store(sqlite_db)
    with store.session() as s:
        sections = dashboard_report(s, ReportFilter(today=date(2026, 6, 30)), limit=5)
    store.close()
    html = dashboard_html(sections, "test", limit=5)
    worklist = html.split('id="t-denials-worklist"')[1].split("</table>")[0]
    assert worklist.count("<tr>") == 1 + 5  # header + the first five rows
    assert "Showing the first 5 of 20 rows (largest denied amount first)" in html
    assert "claimhouse report denial-worklist --format csv" in html
    named = [r for r in next(x for x in sections if x.title == "denials worklist").rows
             if r.get("patient_name")]
    assert len(named) == 5  # only the rows shown are looked up


def test_worklists_add_up(db_url: str, work: Workload) -> None:
    """Paid vs expected per payer = the underpayments' shortfalls + the denied amounts;
    underpayments are the claims left partly unadjudicated; on both backends."""
    load(db_url, work)
    data = json_report(db_url, "dashboard")
    short: dict[str, Decimal] = defaultdict(Decimal)
    for r in data["underpayments"]:
        short[r["payer"]] += Decimal(r["short_amount"])
        assert Decimal(r["expected_amount"]) - Decimal(r["paid_amount"]) == Decimal(
            r["short_amount"]) > 0
    for r in data["denials worklist"]:
        short[r["payer"]] += Decimal(r["denied_amount"])
    per_payer = {r["payer"]: -Decimal(r["difference"]) for r in data["paid vs expected by payer"]}
    assert per_payer == {p: short.get(p, Decimal(0)) for p in per_payer}
    assert set(short) <= set(per_payer) and sum(per_payer.values()) > 0
    partial = sorted(p for p, t in work.expected.items() if t.case == "partial")
    assert sorted(r["patient_control_number"] for r in data["underpayments"]) == partial
    assert [r["patient_control_number"] for r in json_report(db_url, "underpayments")] == [
        r["patient_control_number"] for r in data["underpayments"]]
    days = data["days to payment"]
    ever_paid = {cp.patient_control_number for r in work.posted_remittances()
                 for cp in r.claims() if (cp.paid_amount or 0) > 0}
    assert sum(r["claims"] for r in days) == len(ever_paid & set(work.expected))
    subscribers = {c.patient_control_number: c.subscriber for c in work.claims}
    for r in data["patient balances"]:
        sub = subscribers[r["patient_control_number"]]
        assert r["patient_name"] == f"{sub.last_name}, {sub.first_name}"
        assert r["member_id"] == sub.member_id
        assert r["birth_date"] == sub.birth_date.isoformat()


def test_masked_report_names_nobody(sqlite_db: str, dashboard: Path, work: Workload,
                                    tmp_path: Path) -> None:
    seeded = set()
    for c in work.claims:
        seeded |= {f"{c.subscriber.last_name}, {c.subscriber.first_name}",
                   c.subscriber.member_id or "", c.subscriber.birth_date.isoformat()
                   if c.subscriber.birth_date else ""}
    seeded.discard("")
    plain = dashboard.read_text(encoding="utf-8") + report(sqlite_db, "dashboard", "csv")
    assert sum(1 for s in seeded if s in plain) > 100  # the unmasked report names them
    out = tmp_path / "masked.html"
    report(sqlite_db, "dashboard", "html", "--mask", "-o", str(out))
    masked = out.read_text(encoding="utf-8")
    texts = [masked, report(sqlite_db, "dashboard", "csv", "--mask"),
             report(sqlite_db, "denial-worklist", "json", "--mask"),
             report(sqlite_db, "underpayments", "table", "--mask")]
    for text in texts:
        assert [s for s in seeded if s in text] == []
        assert "SUBSCRIBER" not in text
    assert "patients masked" in masked
    assert re.search(r"PATIENT-[0-9A-F]{6}</td><td>MEMBER-[0-9A-F]{6}</td><td>DOB-[0-9A-F]{6}",
                     masked)
    again = tmp_path / "again.html"
    report(sqlite_db, "dashboard", "html", "--mask", "-o", str(again))
    assert again.read_text(encoding="utf-8") == masked  # stable tokens, reproducible page


def test_aging_buckets_match_claim_ages(db_url: str, work: Workload) -> None:
    """The A/R aging (bucketed in SQL against dates) puts each open claim's unaccounted
    amount where its age in days (the claims report) says, on both backends."""
    load(db_url, work)
    for as_of in ("2026-03-20", "2026-04-25"):
        result = CliRunner().invoke(cli, ["report", "claims", "--format", "json", "--as-of",
                                          as_of, "--db", db_url], catch_exceptions=False)
        expected: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for r in json.loads(result.stdout):
            if r["state"] not in ("pending", "partially paid"):
                continue
            age = r["age_days"]
            bucket = ("0-30" if age is None or age <= 30 else "31-60" if age <= 60 else
                      "61-90" if age <= 90 else "91-120" if age <= 120 else "120+")
            expected[r["payer"]][bucket] += Decimal(r["unaccounted_amount"])
        result = CliRunner().invoke(cli, ["report", "aging", "--format", "json", "--as-of",
                                          as_of, "--db", db_url], catch_exceptions=False)
        aging = {r["payer"]: {b: Decimal(r[b]) for b in ("0-30", "31-60", "61-90", "91-120",
                                                          "120+") if Decimal(r[b])}
                 for r in json.loads(result.stdout) if r["payer"] != "TOTAL"}
        assert aging == {p: dict(v) for p, v in expected.items()}
        assert len({b for v in aging.values() for b in v}) >= 2  # the ages spread


def test_tables_without_javascript(chromium: Any, dashboard: Path, work: Workload) -> None:
    """With scripts off the worklists are still there, in their order (no filter box)."""
    page = chromium.open(dashboard)
    context = page.page.context.browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(dashboard.resolve().as_uri(), wait_until="load")
        pcns = plain.eval_on_selector_all("#t-denials-worklist tbody tr",
                                          "rows => rows.map(r => r.cells[0].textContent)")
        assert sorted(pcns) == sorted(p for p, t in work.expected.items()
                                      if t.state == "denied")
        assert plain.locator("input.filter").count() == 0
        assert "BILLED" in plain.inner_text("#tile-billed")
    finally:
        context.close()
    assert page.page.locator("input.filter").count() >= 4  # the script adds them


def test_masked_dashboard_in_chromium(chromium: Any, sqlite_db: str, tmp_path: Path) -> None:
    out = tmp_path / "masked.html"
    report(sqlite_db, "dashboard", "html", "--mask", "-o", str(out))
    shot = ARTIFACTS / "report-dashboard-masked.png"
    page = chromium.open(out, screenshot=shot)
    print(f"screenshot: {shot}")
    assert page.console_errors == [] and page.blocked_requests == []
    names = page.page.eval_on_selector_all(
        "#t-patient-balances tbody tr", "rows => rows.map(r => r.cells[1].textContent)")
    assert names and all(re.fullmatch(r"PATIENT-[0-9A-F]{6}", n) for n in names)
    assert "SUBSCRIBER" not in page.text
