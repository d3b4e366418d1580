"""Reports as one self-contained HTML file: inline CSS, inline SVG charts, a small inline
script for sorting and filtering tables, nothing fetched (a Content-Security-Policy
forbids it). Without the script the tables are plain HTML tables, in a useful order.

Large tables show their first rows only, with the count and where the full list is (the
CSV/JSON of the same report), so a report over 100,000 claims stays a small file.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from html import escape
from typing import Any

from claimhouse.reports._table import Section

ROW_LIMIT = 500
"""Rows of a table written into the page; the CSV/JSON have them all."""

LABELS = {
    "patient_control_number": "Claim (PCN)", "carc": "CARC", "rarc": "RARC",
    "payer_claim_control_number": "Payer claim no.", "age_days": "Age (days)",
    "birth_date": "Date of birth", "member_id": "Member ID", "patient_name": "Patient",
    "status_code": "CLP02", "group": "Group", "trace_number": "Check/EFT (TRN02)",
    "median_days": "Median days",
}

CSS = """
:root{--ink:#1d2733;--mute:#5b6773;--line:#d5dbe1;--bg:#f5f7f9;--accent:#1f5fa8}
*{box-sizing:border-box}
body{font:14px/1.4 "Liberation Sans",Arial,Helvetica,sans-serif;color:var(--ink);
margin:0;background:var(--bg)}
header{background:#fff;border-bottom:1px solid var(--line);padding:16px 24px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:0 0 8px}
.meta{color:var(--mute);margin:0}
main{padding:16px 24px;max-width:1400px}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;
margin-bottom:16px}
.tile{background:#fff;border:1px solid var(--line);border-radius:6px;padding:12px 14px}
.tile .k{color:var(--mute);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.tile .v{font-size:22px;font-weight:bold;margin-top:4px;font-variant-numeric:tabular-nums}
.tile .s{color:var(--mute);font-size:12px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(540px,1fr));gap:12px;
margin-bottom:16px}
section.card,figure.card{background:#fff;border:1px solid var(--line);border-radius:6px;
padding:14px;margin:0 0 16px}
figure.card{margin:0}
figcaption{font-weight:bold;font-size:15px;margin-bottom:6px}
svg.chart{max-width:100%;height:auto;display:block}
svg .lbl{font-size:12px;fill:#333}
svg .val{font-size:12px;fill:#111;font-weight:bold}
svg .cap{font-size:11px;fill:#5b6773}
.note{color:var(--mute);font-size:12px;margin:6px 0}
.wrap{overflow-x:auto;max-height:640px;overflow-y:auto;border:1px solid var(--line)}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{padding:4px 8px;border-bottom:1px solid #e6eaee;text-align:left;white-space:nowrap}
th{background:#eef2f6;position:sticky;top:0;font-size:12px}
th button{font:inherit;font-weight:bold;background:none;border:0;padding:0;cursor:pointer;
color:inherit}
th[aria-sort=ascending] button::after{content:" \\25B2"}
th[aria-sort=descending] button::after{content:" \\25BC"}
td.n,th.n{text-align:right}
tbody tr:nth-child(even){background:#fafbfc}
tr.total td{font-weight:bold;border-top:2px solid var(--line)}
input.filter{margin:0 0 8px;padding:5px 8px;width:280px;border:1px solid #aab4be;
border-radius:4px;font:inherit}
.shown{color:var(--mute);font-size:12px;margin-left:8px}
details{margin-top:8px}
summary{cursor:pointer;color:var(--accent)}
code{background:#eef2f6;padding:0 3px;border-radius:3px}
.badge{display:inline-block;background:#fff3cd;border:1px solid #e0c46c;border-radius:4px;
padding:0 6px;font-size:12px;margin-left:8px;vertical-align:middle}
"""

SCRIPT = """
(function () {
  "use strict";
  function key(cell, numeric) {
    var v = cell.getAttribute("data-v");
    if (v === null) { v = cell.textContent; }
    if (numeric) { var n = parseFloat(v); return isNaN(n) ? -Infinity : n; }
    return v.toLowerCase();
  }
  function sortBy(table, th, col) {
    var numeric = th.classList.contains("n");
    var asc = th.getAttribute("aria-sort") !== "ascending";
    var heads = table.tHead.rows[0].cells;
    for (var i = 0; i < heads.length; i++) { heads[i].setAttribute("aria-sort", "none"); }
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[col], numeric), y = key(b.cells[col], numeric);
      if (x < y) { return asc ? -1 : 1; }
      if (x > y) { return asc ? 1 : -1; }
      return 0;
    });
    for (var r = 0; r < rows.length; r++) { body.appendChild(rows[r]); }
  }
  function filterRows(table, input, shown) {
    var q = input.value.toLowerCase(), n = 0, rows = table.tBodies[0].rows;
    for (var i = 0; i < rows.length; i++) {
      var hit = q === "" || rows[i].textContent.toLowerCase().indexOf(q) !== -1;
      rows[i].hidden = !hit;
      if (hit) { n++; }
    }
    shown.textContent = n + " of " + rows.length + " rows shown";
  }
  var tables = document.querySelectorAll("table.sortable");
  Array.prototype.forEach.call(tables, function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = th.textContent;
      b.title = "Sort by " + th.textContent;
      th.textContent = "";
      th.appendChild(b);
      th.setAttribute("aria-sort", "none");
      b.addEventListener("click", function () { sortBy(table, th, col); });
    });
    var wrap = table.parentNode;
    var input = document.createElement("input");
    input.type = "search";
    input.className = "filter";
    input.placeholder = "Filter rows\\u2026";
    input.setAttribute("aria-label", "Filter " + (table.getAttribute("data-name") || "rows"));
    var shown = document.createElement("span");
    shown.className = "shown";
    shown.setAttribute("aria-live", "polite");
    wrap.parentNode.insertBefore(input, wrap);
    wrap.parentNode.insertBefore(shown, wrap);
    input.addEventListener("input", function () { filterRows(table, input, shown); });
  });
}());
"""

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "img-src data:")


def esc(value: Any) -> str:
    return escape(str(value), quote=True)


def label(column: str) -> str:
    """A column name as a header a biller reads."""
    return LABELS.get(column) or column.replace("_", " ").capitalize()


def money(value: Decimal | None, *, sign: bool = False) -> str:
    """1234.5 -> ``$1,234.50`` (negative ``-$12.00``)."""
    if value is None:
        return ""
    text = f"${abs(value):,.2f}"
    if value < 0:
        return "-" + text
    return "+" + text if sign and value > 0 else text


def cell(value: Any) -> tuple[str, str | None, bool]:
    """(text, sort key, numeric) of one value."""
    if value is None:
        return "", None, False
    if isinstance(value, bool):
        return "yes" if value else "no", None, False
    if isinstance(value, Decimal):
        return f"{value:,.2f}", str(value), True
    if isinstance(value, int):
        return f"{value:,}", str(value), True
    if isinstance(value, date):
        return value.isoformat(), None, False
    return str(value), None, False


def table(section: Section, *, limit: int | None = ROW_LIMIT, full: str = "",
          order: str = "", total_row: str | None = None) -> str:
    """A section as a sortable table; only its first ``limit`` rows, with a note saying
    how many there are, in which ``order`` and where the ``full`` list is."""
    rows = section.rows if limit is None else section.rows[:limit]
    numeric = {c for c in section.columns
               if any(isinstance(r.get(c), Decimal | int) and not isinstance(r.get(c), bool)
                      for r in section.rows[:50])}
    slug = section.title.replace(" ", "-")
    out = [f'<div class="wrap"><table class="sortable" id="t-{esc(slug)}" '
           f'data-name="{esc(section.title)}"><thead><tr>']
    out += [f'<th scope="col" data-sort="{esc(c)}"{" class=n" if c in numeric else ""}>'
            f'{esc(label(c))}</th>' for c in section.columns]
    out.append("</tr></thead><tbody>")
    for r in rows:
        first = r.get(section.columns[0])
        css = ' class="total"' if total_row is not None and first == total_row else ""
        out.append(f"<tr{css}>")
        for c in section.columns:
            text, key, num = cell(r.get(c))
            attrs = (' class="n"' if num else "") + (f' data-v="{esc(key)}"' if key else "")
            out.append(f"<td{attrs}>{esc(text)}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    n = int(getattr(section, "total", len(section.rows)))
    if not n:
        out.append('<p class="note">None.</p>')
    elif len(rows) < n:
        out.append(f'<p class="note">Showing the first {len(rows):,} of {n:,} rows'
                   f'{" (" + esc(order) + ")" if order else ""}; sorting and filtering apply '
                   f'to these. The full list: {full or "the CSV or JSON of this report"}.</p>')
    else:
        out.append(f'<p class="note">{n:,} row{"s" if n != 1 else ""}'
                   f'{", " + esc(order) if order else ""}.</p>')
    return "".join(out)


def page(title: str, subtitle: str, body: str) -> str:
    """The whole document around ``body``."""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
            f'<header><h1>{esc(title)}</h1><p class="meta">{subtitle}</p></header>'
            f"<main>{body}</main><script>{SCRIPT}</script></body></html>\n")


def render_html(sections: Sequence[Section], title: str, subtitle: str,
                full: str = "") -> str:
    """Any report as HTML: one sortable, filterable table per section."""
    body = "".join(f'<section class="card"><h2>{esc(s.title.capitalize())}</h2>'
                   f"{table(s, full=full, total_row='TOTAL')}</section>" for s in sections)
    return page(title, subtitle, body)
