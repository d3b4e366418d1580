"""The remittance advice as one self-contained, printable HTML5 page.

Inline CSS only: no script, no image, no font, nothing fetched (a Content-Security-Policy
of ``default-src 'none'`` says so to the browser). Every value from the file is escaped
with :func:`html.escape`. Written part by part as the 835 is read (constant memory).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from html import escape
from typing import TextIO

from claimhouse.reports._era_model import (
    EraAdjustment,
    EraClaim,
    EraFooter,
    EraHeader,
    EraLine,
    EraPart,
    EraParty,
    EraRemark,
    date_span,
    iso,
)
from claimhouse.reports._era_text import money

CSS = """
:root{--ink:#1d2733;--mute:#5b6773;--line:#d5dbe1;--bg:#f5f7f9;--accent:#1f5fa8;
--bad:#a8321f;--good:#1d7a3a}
*{box-sizing:border-box}
body{font:14px/1.4 "Liberation Sans",Arial,Helvetica,sans-serif;color:var(--ink);
margin:0;background:var(--bg)}
body>header{background:#fff;border-bottom:1px solid var(--line);padding:14px 24px}
h1{font-size:22px;margin:0 0 2px}
h2{font-size:18px;margin:0 0 10px}
h3{font-size:13px;margin:0 0 4px;text-transform:uppercase;letter-spacing:.04em;
color:var(--mute)}
.meta{color:var(--mute);margin:0}
main{padding:16px 24px;max-width:1200px}
section.remit{background:#fff;border:1px solid var(--line);border-radius:6px;
padding:16px;margin:0 0 24px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:12px;
margin-bottom:12px}
.card{border:1px solid var(--line);border-radius:6px;padding:10px 12px}
.card p{margin:0}
.big{font-size:24px;font-weight:bold}
article.claim{border-top:2px solid var(--line);padding:12px 0 6px;break-inside:avoid}
article.claim>h3{font-size:15px;text-transform:none;letter-spacing:0;color:var(--ink)}
.badge{display:inline-block;border-radius:10px;padding:1px 9px;font-size:12px;
font-weight:bold;background:#e4edf7;color:var(--accent);margin-left:6px}
.badge.denied,.badge.reversal{background:#f8e3df;color:var(--bad)}
.badge.mask{background:#fff3cd;color:#7a5a00}
dl.facts{display:grid;grid-template-columns:max-content 1fr max-content 1fr;gap:2px 12px;
margin:6px 0 8px}
dl.facts dt{color:var(--mute)}
dl.facts dd{margin:0}
table{border-collapse:collapse;width:100%;margin:4px 0 10px}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:var(--bg);font-size:12px;color:var(--mute)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.sub td{border-bottom:none;color:var(--mute);font-size:13px;padding-top:0}
tr.sub td:first-child{padding-left:22px}
table.amounts{width:auto}
table.amounts td,table.amounts th{min-width:130px}
table.totals{width:auto;min-width:420px}
table.totals td:first-child{padding-right:40px}
tr.check td{font-weight:bold}
.ok{color:var(--good)}.bad{color:var(--bad)}
.note{color:var(--mute);font-size:12px}
@media print{body{background:#fff}section.remit{border:none;padding:0;
break-after:page}main{padding:0 8px}}
"""

_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; "
        "form-action 'none'; base-uri 'none'")


def _e(v: object) -> str:
    return escape("" if v is None else str(v))


def _d(d: date | None) -> str:
    return iso(d)


def _span(a: date | None, b: date | None) -> str:
    return date_span(a, b, joiner=' &ndash; ', missing='&ndash;')


def _m(v: Decimal | None) -> str:
    return f'<td class="num">{_e(money(v))}</td>'


def _units(u: Decimal | None) -> str:
    return "" if u is None else f"{u.normalize():f}"


def document_start(title: str, subtitle: str, masked: bool) -> str:
    badge = ('<span class="badge mask">patients masked: names and member ids are '
             "tokens</span>" if masked else "")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
            f"<header><h1>{_e(title)}</h1><p class=\"meta\">{_e(subtitle)}{badge}</p>"
            "</header><main>\n")


DOCUMENT_END = "</main></body></html>\n"


def _party(title: str, p: EraParty) -> str:
    rows = [f"<p><strong>{_e(p.name)}</strong></p>"]
    rows += [f"<p>{_e(k)} {_e(v)}</p>" for k, v in p.ids]
    rows += [f"<p>{_e(line)}</p>" for line in p.address]
    rows += [f'<p class="note">{_e(c)}</p>' for c in p.contacts]
    return f'<div class="card"><h3>{_e(title)}</h3>{"".join(rows)}</div>'


def header_html(h: EraHeader) -> str:
    fmt = f", {_e(h.payment_format)}" if h.payment_format else ""
    payment = (
        '<div class="card"><h3>Payment</h3>'
        f'<p class="big">{_e(money(h.amount))}</p>'
        f"<p>{_e(h.credit_debit)} by {_e(h.method)}{fmt}</p>"
        f"<p>Check/EFT trace number <strong>{_e(h.trace_number or '-')}</strong></p>"
        f"<p>Payment date {_e(_d(h.payment_date) or '-')}</p>"
        f'<p class="note">{_e(h.handling)}</p></div>')
    return (f'<section class="remit" id="remit-{h.number}">'
            f"<h2>Remittance {h.number} <span class=\"note\">835 set {_e(h.control_number)}"
            f", interchange {_e(h.interchange)}</span></h2>"
            f'<div class="cards">{_party("Payer", h.payer)}{_party("Payee", h.payee)}'
            f"{payment}</div>"
            + (f'<p class="note">Note: {_e(h.guide_note)}</p>' if h.guide_note else "")
            + "\n")


def _adj_rows(adjs: list[EraAdjustment], sub: bool) -> str:
    cls = ' class="sub"' if sub else ""
    out = []
    for a in adjs:
        qty = f" (quantity {_units(a.quantity)})" if a.quantity is not None else ""
        out.append(f"<tr{cls}><td>{_e(a.group)} {_e(a.group_text)}</td>"
                   f"<td>CARC {_e(a.reason)}: {_e(a.reason_text)}{_e(qty)}</td>"
                   f"{_m(a.amount)}</tr>")
    return "".join(out)


def _remarks(rs: list[EraRemark]) -> str:
    return "".join(f"<li>{_e(r.code)} <span class=\"note\">({_e(r.where)})</span>: "
                   f"{_e(r.text)}</li>" for r in rs)


def _line(ln: EraLine) -> str:
    star = "" if ln.allowed_from_amt else "*"
    row = (f"<tr><td>{_span(ln.service_from, ln.service_to)}</td><td>{_e(ln.procedure)}"
           + (f' <span class="note">line {_e(ln.control_number)}</span>'
              if ln.control_number else "")
           + f'</td><td class="num">{_e(_units(ln.units))}</td>{_m(ln.charge)}'
           f'<td class="num">{_e(money(ln.allowed))}{star}</td>{_m(ln.paid)}</tr>')
    subs = "".join(
        f'<tr class="sub"><td colspan="5">{_e(a.group)} {_e(a.group_text)} &middot; CARC '
        f"{_e(a.reason)}: {_e(a.reason_text)}</td>{_m(a.amount)}</tr>"
        for a in ln.adjustments)
    subs += "".join(
        f'<tr class="sub"><td colspan="6">Remark {_e(r.code)}: {_e(r.text)}</td></tr>'
        for r in ln.remarks)
    return row + subs


def _unread(ids: list[str]) -> str:
    if not ids:
        return ""
    counts = ", ".join(f"{ids.count(i)} {i}" for i in dict.fromkeys(ids))
    return (f'<p class="bad">Not shown: {_e(counts)} segment(s) did not (fully) convert (run '
            "<code>claimhouse validate</code> for where and why).</p>")


def claim_html(c: EraClaim) -> str:
    kind = " denied" if c.denied else (" reversal" if c.reversal else "")
    star = "" if c.allowed_from_amt else "*"
    facts = [("Patient", c.patient_name or "-"), ("Member id", c.member_id or "-"),
             ("Status", f"{c.status_code} {c.status_text}"),
             ("Service", None), ("Payer claim no.", c.payer_claim_number or "-")]
    if c.insured_name:
        facts.append(("Insured", c.insured_name))
    if c.insured_id:
        facts.append(("Subscriber id", c.insured_id))
    if c.filing_text:
        facts.append(("Plan type", c.filing_text))
    when = _span(c.service_from, c.service_to)
    dl = "".join(f"<dt>{_e(k)}</dt><dd>{when if v is None else _e(v)}</dd>"
                 for k, v in facts)
    out = [f'<article class="claim" id="claim-{c.number}">'
           f"<h3>Claim {_e(c.patient_control_number or '-')} "
           f'<span class="badge{kind}">{_e(c.status_text)}</span></h3>'
           f'<dl class="facts">{dl}</dl>'
           '<table class="amounts"><thead><tr><th class="num">Charge</th>'
           '<th class="num">Allowed</th><th class="num">Paid</th>'
           '<th class="num">Patient responsibility</th></tr></thead><tbody><tr>'
           f'{_m(c.charge)}<td class="num">{_e(money(c.allowed))}{star}</td>{_m(c.paid)}'
           f"{_m(c.patient_responsibility)}</tr></tbody></table>"]
    if c.adjustments:
        out.append('<table><thead><tr><th>Group</th><th>Claim adjustment reason</th>'
                   '<th class="num">Amount</th></tr></thead><tbody>'
                   f"{_adj_rows(c.adjustments, False)}</tbody></table>")
    if c.remarks:
        out.append(f"<h3>Remarks</h3><ul>{_remarks(c.remarks)}</ul>")
    out.append(_unread(c.unread))
    if c.lines:
        out.append('<table class="lines"><thead><tr><th>Service date</th><th>Procedure</th>'
                   '<th class="num">Units</th><th class="num">Charge</th>'
                   '<th class="num">Allowed</th><th class="num">Paid</th></tr></thead><tbody>'
                   + "".join(_line(ln) for ln in c.lines) + "</tbody></table>")
    out.append("</article>\n")
    return "".join(out)


def footer_html(f: EraFooter) -> str:
    out = [_unread(f.unread)]
    if f.plb:
        out.append('<h3>Provider adjustments (PLB)</h3><p class="note">A positive amount is '
                   "withheld from this payment, a negative one added.</p><table><thead><tr>"
                   "<th>Reason</th><th>Reference</th><th>Provider</th><th>Period</th>"
                   '<th class="num">Amount</th></tr></thead><tbody>')
        out += [f"<tr><td>{_e(p.reason)} {_e(p.reason_text)}</td><td>{_e(p.reference)}</td>"
                f"<td>{_e(p.provider)}</td><td>{_d(p.fiscal_period)}</td>{_m(p.amount)}</tr>"
                for p in f.plb]
        out.append("</tbody></table>")
    t = f.totals
    check = ('<span class="ok">&#10003; balanced</span>' if t.balanced else
             f'<span class="bad">&#10007; mismatch: net differs from the payment by '
             f"{_e(money(t.net - t.payment))}</span>")
    rows = [("Claims charged", t.charge, ""),
            ("Patient responsibility (CLP05)", t.patient_responsibility, ""),
            ("Claims paid (sum of CLP04)", t.paid, f"{t.claims} claims"),
            ("Provider adjustments (sum of PLB)", t.plb, ""),
            ("Net (CLP04 &minus; PLB)", t.net, "")]
    body = "".join(f"<tr><td>{k}</td>{_m(v)}<td>{_e(n)}</td></tr>" for k, v, n in rows)
    body += (f'<tr class="check"><td>Payment (BPR02)</td>{_m(t.payment)}<td>{check}</td>'
             "</tr>")
    out.append(f'<h3>Totals</h3><table class="totals"><tbody>{body}</tbody></table>'
               '<p class="note">* allowed derived: charge &minus; CO/PI/OA adjustments, '
               "where the payer sent no AMT B6 (line) / AU (claim).</p></section>\n")
    return "".join(out)


def write_html(parts: Iterable[EraPart], out: TextIO, *, title: str, subtitle: str,
               masked: bool = False) -> None:
    """The page, written as the parts come."""
    out.write(document_start(title, subtitle, masked))
    for part in parts:
        if isinstance(part, EraHeader):
            out.write(header_html(part))
        elif isinstance(part, EraClaim):
            out.write(claim_html(part))
        else:
            out.write(footer_html(part))
    out.write(DOCUMENT_END)
