"""The remittance advice as text for a terminal: fixed-width columns, money right-aligned.

Written part by part as :func:`~claimhouse.reports._era_model.era_parts` yields them, so a
large 835 is printed in constant memory. The totals block ends each remittance::

    Claims paid (sum of CLP04)          1,234.56   3 claims
    Provider adjustments (sum of PLB)      50.00   withheld
    Net (CLP04 - PLB)                   1,184.56
    Payment (BPR02)                     1,184.56   ✓ balanced
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
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

WIDTH = 100
RULE = "=" * WIDTH
THIN = "-" * WIDTH


def money(v: Decimal | None) -> str:
    """1,234.56 / -50.00 (two decimals, thousands separators)."""
    return "" if v is None else f"{v:,.2f}"


def _d(d: date | None) -> str:
    return iso(d)


def _span(a: date | None, b: date | None) -> str:
    return date_span(a, b, joiner=' to ', missing='-')


def _units(u: Decimal | None) -> str:
    return "" if u is None else f"{u.normalize():f}"


def _wrap(text: str, indent: int, width: int = WIDTH) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=" " * indent,
                         subsequent_indent=" " * (indent + 2)) or [" " * indent]


def _party(title: str, p: EraParty) -> list[str]:
    """The party as lines of at most 48 characters (long ones wrapped)."""
    rows = [p.name]
    if p.ids:
        rows.append("   ".join(f"{k} {v}" for k, v in p.ids))
    rows += p.address + p.contacts
    out: list[str] = []
    for i, row in enumerate(rows):
        wrapped = textwrap.wrap(row, width=40, subsequent_indent="  ") or [""]
        out += [(title if i == 0 and j == 0 else "").ljust(8) + w
                for j, w in enumerate(wrapped)]
    return out


def header_text(h: EraHeader) -> list[str]:
    out = [RULE, f"REMITTANCE ADVICE {h.number}".ljust(60)
           + f"835 set {h.control_number}, interchange {h.interchange}".rjust(WIDTH - 60),
           RULE]
    left, right = _party("Payer", h.payer), _party("Payee", h.payee)
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else ""
        b = right[i] if i < len(right) else ""
        out.append(f"{a:<50}{b}".rstrip())
    out.append("")
    out += textwrap.wrap(f"Payment  {money(h.amount)} {h.credit_debit.lower()}  by {h.method}"
                         + (f", {h.payment_format}" if h.payment_format else ""),
                         width=WIDTH, subsequent_indent=" " * 9)
    out.append(f"         Check/EFT trace number {h.trace_number or '-'}    "
               f"Payment date {_d(h.payment_date) or '-'}"
               + (f"    Produced {_d(h.production_date)}" if h.production_date else ""))
    out.append(f"         {h.handling}")
    if h.guide_note:
        out += _wrap(f"Note: {h.guide_note}", 0)
    return out


_AMOUNT_HEAD = f"{'Charge':>12}{'Allowed':>12}{'Paid':>12}{'Patient resp':>14}"


def _adjustment(a: EraAdjustment, indent: int) -> list[str]:
    qty = f" (qty {_units(a.quantity)})" if a.quantity is not None else ""
    head = f"{a.group} {a.group_text} / CARC {a.reason}:"
    amount = money(a.amount).rjust(14)
    lines = _wrap(f"{head} {a.reason_text}{qty}", indent, WIDTH - 16)
    lines[0] = lines[0].ljust(WIDTH - 14) + amount
    return lines


def _remark(r: EraRemark, indent: int) -> list[str]:
    return _wrap(f"Remark {r.code} ({r.where}): {r.text}", indent, WIDTH - 2)


def _line(ln: EraLine) -> list[str]:
    allowed = money(ln.allowed) + ("" if ln.allowed_from_amt else "*")
    out = [f"  {_span(ln.service_from, ln.service_to)[:23]:<24}{ln.procedure[:22]:<23}"
           f"{_units(ln.units):>6}{money(ln.charge):>12}{allowed:>13}{money(ln.paid):>12}"]
    if ln.control_number:
        out.append(f"      line control number {ln.control_number}")
    for a in ln.adjustments:
        out += _adjustment(a, 6)
    for r in ln.remarks:
        out += _remark(r, 6)
    return out


def claim_text(c: EraClaim) -> list[str]:
    flag = "  ** DENIED **" if c.denied else ("  ** REVERSAL **" if c.reversal else "")
    out = [THIN,
           f"Claim {c.number}  Patient control no. {c.patient_control_number or '-'}    "
           f"Payer claim no. {c.payer_claim_number or '-'}",
           f"  Status {c.status_code} {c.status_text}{flag}",
           f"  Patient {c.patient_name or '-'}    Member id {c.member_id or '-'}    "
           f"Service {_span(c.service_from, c.service_to)}"]
    if c.insured_name or c.insured_id:
        out.append(f"  Insured {c.insured_name or '-'}"
                   + (f"    Subscriber id {c.insured_id}" if c.insured_id else ""))
    if c.filing_text:
        out.append(f"  Plan type {c.filing_text}")
    out.append(" " * 48 + _AMOUNT_HEAD)
    allowed = money(c.allowed) + ("" if c.allowed_from_amt else "*")
    out.append(f"  {'Claim totals':<46}{money(c.charge):>12}{allowed:>12}"
               f"{money(c.paid):>12}{money(c.patient_responsibility):>14}")
    if c.adjustments:
        out.append("  Claim adjustments")
        for a in c.adjustments:
            out += _adjustment(a, 4)
    if c.remarks:
        out.append("  Claim remarks")
        for r in c.remarks:
            out += _remark(r, 4)
    out += _unread(c.unread, 2)
    if c.lines:
        out.append(f"  {'Service date':<24}{'Procedure':<23}{'Units':>6}{'Charge':>12}"
                   f"{'Allowed':>13}{'Paid':>12}")
        for ln in c.lines:
            out += _line(ln)
    return out


def _unread(ids: list[str], indent: int) -> list[str]:
    if not ids:
        return []
    counts = ", ".join(f"{ids.count(i)} {i}" for i in dict.fromkeys(ids))
    return _wrap(f"NOT SHOWN: {counts} segment(s) did not (fully) convert (run claimhouse validate "
                 "for where and why)", indent, WIDTH - 2)


def footer_text(f: EraFooter) -> list[str]:
    out = [THIN, *_unread(f.unread, 0)]
    if f.plb:
        out.append("Provider adjustments (PLB)    a positive amount is withheld from this "
                   "payment, a negative one added")
        for p in f.plb:
            ref = f" ref {p.reference}" if p.reference else ""
            head = (f"  {p.reason} {p.reason_text}{ref}  provider {p.provider or '-'}"
                    f"  period {_d(p.fiscal_period) or '-'}")
            out.append(head[:WIDTH - 15].ljust(WIDTH - 14) + money(p.amount).rjust(14))
        out.append("")
    t = f.totals
    plb_word = "withheld" if t.plb > 0 else ("added" if t.plb < 0 else "")
    out += [
        f"Totals of remittance {f.header.number}   "
        f"(* allowed = charge - CO/PI/OA adjustments: no AMT B6/AU)",
        f"  {'Claims charged':<36}{money(t.charge):>16}",
        f"  {'Patient responsibility (CLP05)':<36}{money(t.patient_responsibility):>16}",
        f"  {'Claims paid (sum of CLP04)':<36}{money(t.paid):>16}   {t.claims} claims",
        f"  {'Provider adjustments (sum of PLB)':<36}{money(t.plb):>16}   {plb_word}".rstrip(),
        f"  {'Net (CLP04 - PLB)':<36}{money(t.net):>16}",
        f"  {'Payment (BPR02)':<36}{money(t.payment):>16}   "
        + ("✓ balanced" if t.balanced else
           f"✗ MISMATCH: net - payment = {money(t.net - t.payment)}"),
        RULE, ""]
    return out


def write_text(parts: Iterable[EraPart], out: TextIO) -> None:
    """Print each part as it comes."""
    for part in parts:
        if isinstance(part, EraHeader):
            lines = header_text(part)
        elif isinstance(part, EraClaim):
            lines = claim_text(part)
        else:
            lines = footer_text(part)
        out.write("\n".join(lines) + "\n")
