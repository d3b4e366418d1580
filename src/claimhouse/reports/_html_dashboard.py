"""The biller's dashboard as one HTML file: headline tiles, four charts (A/R aging, top
denial reasons, paid vs expected per payer, days to payment) each with its data table, and
the worklists (denials, underpayments, unmatched remits, patient balances)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from claimhouse.reports._html import ROW_LIMIT, esc, money, page, table
from claimhouse.reports._reconciliation import BUCKETS
from claimhouse.reports._svg import Bar, bar_chart, column_chart, grouped_bar_chart
from claimhouse.reports._table import Section
from claimhouse.reports._worklists import EXPECTED_CARCS

TOP_REASONS = 8


def _tile(key: str, value: str, sub: str = "", tile_id: str = "") -> str:
    return (f'<div class="tile" id="tile-{tile_id}"><div class="k">{esc(key)}</div>'
            f'<div class="v">{esc(value)}</div><div class="s">{esc(sub)}</div></div>')


def _tiles(t: dict[str, Any]) -> str:
    return '<div class="tiles" role="group" aria-label="Totals">' + "".join((
        _tile("Billed", money(t["billed"]), f"{t['claims']:,} claims", "billed"),
        _tile("Paid", money(t["paid"]), "net of reversals", "paid"),
        _tile("Adjusted", money(t["adjusted"]), "payer write-offs and denials", "adjusted"),
        _tile("Patient responsibility", money(t["patient_responsibility"]),
              "deductible, copay, coinsurance", "patient"),
        _tile("Outstanding", money(t["outstanding"]), "payers still owe (A/R)",
              "outstanding"),
        _tile("Denied claims", f"{t['denied_claims']:,}",
              f"{t['unmatched_remits']:,} unmatched remits ({money(t['unmatched_paid'])})",
              "denied"),
    )) + "</div>"


def _figure(caption: str, svg: str, note: str, data: Section, **kw: Any) -> str:
    return (f'<figure class="card"><figcaption>{esc(caption)}</figcaption>{svg}'
            f'{note}<details><summary>Data: {esc(data.title)}</summary>'
            f"{table(data, limit=None, **kw)}</details></figure>")


def _aging_chart(aging: Section) -> str:
    total = next((r for r in aging.rows if r["payer"] == "TOTAL"), None)
    bars = [Bar(f"{b} days", total[b] if total else Decimal(0),
                money(total[b] if total else Decimal(0))) for b in BUCKETS]
    claims = total["claims"] if total else 0
    desc = (f"Outstanding amounts of {claims:,} pending and partially paid claims by days "
            "since submission: " + "; ".join(f"{b.label} {b.text}" for b in bars) + ".")
    svg = column_chart("aging", "Accounts receivable aging", desc, bars,
                       caption=f"{claims:,} open claims; days since submission (or service)")
    return _figure("A/R aging: what payers still owe, by age", svg, "", aging,
                   total_row="TOTAL")


def _denials_chart(carc: Section) -> str:
    top = carc.rows[:TOP_REASONS]
    bars = [Bar(f"{r['group']}-{r['carc']} {r['description']}", r["amount"],
                f"{money(r['amount'])} ({r['payments']:,})") for r in top]
    desc = ("Denied amounts by claim adjustment reason code, largest first: "
            + "; ".join(f"{b.label}: {b.text} payments" for b in bars) + "." if bars
            else "No denials.")
    svg = bar_chart("denials", "Top denial reasons by CARC", desc, bars)
    note = ('<p class="note">Amount denied per reason code (group-CARC and its text), '
            "in brackets the number of claim payments.</p>")
    return _figure("Top denial reasons (CARC)", svg, note, carc)


def _expected_chart(pve: Section) -> str:
    payers = [str(r["payer"]) for r in pve.rows]
    series = [("Expected", [Bar(p, r["expected"], money(r["expected"]))
                            for p, r in zip(payers, pve.rows, strict=True)]),
              ("Paid", [Bar(p, r["paid"], money(r["paid"]))
                        for p, r in zip(payers, pve.rows, strict=True)])]
    desc = "Expected and paid per payer: " + "; ".join(
        f"{r['payer']} expected {money(r['expected'])}, paid {money(r['paid'])}, "
        f"difference {money(r['difference'], sign=True)}" for r in pve.rows) + "."
    svg = (grouped_bar_chart("expected", "Paid vs expected per payer", desc, payers, series)
           if payers else '<p class="note">No adjudicated claims.</p>')
    note = ('<p class="note">Expected = billed &minus; patient responsibility &minus; the '
            f"write-offs a contract explains (CARC {', '.join(EXPECTED_CARCS)}); anything "
            "else held back, and billed lines not adjudicated, count as short. Covers claims "
            "paid, partially paid or denied (not overpaid ones).</p>")
    return _figure("Paid vs expected per payer", svg, note, pve)


def _days_chart(days: Section) -> str:
    bars = [Bar(f"{r['days']}", r["claims"], f"{r['claims']:,}") for r in days.rows]
    middle = days.rows[0]["median_days"] if days.rows else None
    total = sum(r["claims"] for r in days.rows)
    median = f"median {middle} days" if middle is not None else "no median"
    desc = (f"Claims by days from submission to first payment ({median}): "
            + "; ".join(f"{b.label} days {b.text} claims" for b in bars) + ".")
    svg = column_chart("days", "Days to payment", desc, bars,
                       caption=f"{total:,} paid claims, {median}; "
                               "days from submission (or service) to first payment")
    return _figure("Days to payment", svg, "", days)


def dashboard_html(sections: Sequence[Section], subtitle: str, *,
                   limit: int = ROW_LIMIT) -> str:
    """The dashboard page from :func:`dashboard_report`'s sections."""
    by = {s.title: s for s in sections}
    full = "<code>claimhouse report {name} --format csv</code>"
    worklists = (
        ("denials worklist", "Denials worklist", "largest denied amount first",
         "denial-worklist", "Denied claims to appeal or correct, with the reason the payer "
         "gave (CARC and text) and remarks (RARC)."),
        ("underpayments", "Underpayments", "largest shortfall first", "underpayments",
         "Claims paid less than expected: payer held back more than the contractual "
         f"write-off (CARC {', '.join(EXPECTED_CARCS)}) or left billed lines unadjudicated."),
        ("unmatched remits", "Unmatched remits", "largest payment first", "unmatched",
         "Claim payments in 835s that no submitted claim was found for."),
        ("patient balances", "Patient balances", "largest balance first", "dashboard",
         "What patients owe (deductible, copay, coinsurance) per claim."),
    )
    body = [_tiles(by["totals"].rows[0]), '<div class="charts">',
            _aging_chart(by["accounts receivable aging"]),
            _denials_chart(by["denials by CARC"]),
            _expected_chart(by["paid vs expected by payer"]),
            _days_chart(by["days to payment"]), "</div>"]
    for title, heading, order, name, what in worklists:
        s = by[title]
        body.append(f'<section class="card" id="{esc(title.replace(" ", "-"))}">'
                    f"<h2>{esc(heading)} <small>({len(s.rows):,})</small></h2>"
                    f'<p class="note">{esc(what)}</p>'
                    f"{table(s, limit=limit, order=order, full=full.format(name=name))}"
                    "</section>")
    return page("Reconciliation report", subtitle, "".join(body))
