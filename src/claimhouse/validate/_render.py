"""Readable renderings of a validation report: text for a biller, HTML, JSON.

Text says, per transaction set, where (segment, element, loop), what and how to fix;
``verbose`` adds the SNIP level, byte offset and the acknowledgment codes. Nothing
quotes element content.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable

from claimhouse.validate._codes import VALIDATION_CODES
from claimhouse.validate._report import ValidationReport
from claimhouse.x12 import ENVELOPE_CODES, Finding


def _fix(code: str) -> str:
    spec = VALIDATION_CODES.get(code) or ENVELOPE_CODES.get(code)
    return spec.fix if spec else ""


def _where(f: Finding) -> str:
    loc = f.location
    parts: list[str] = []
    if loc.segment is not None:
        seg = f"segment {loc.segment}"
        if loc.segment_id:
            seg += f" {loc.segment_id}"
            if loc.element is not None:
                seg += f"{loc.element:02d}" + (f"-{loc.component}" if loc.component else "")
        parts.append(seg)
    if loc.set_segment is not None:
        parts.append(f"#{loc.set_segment} in set")
    if loc.loop:
        parts.append(f"loop {loc.loop}")
    return ", ".join(parts) or "whole file"


def _line(f: Finding, verbose: bool) -> list[str]:
    out = [f"  {f.severity.value.upper():7} {_where(f)}: {f.message} [{f.code}]"]
    fix = _fix(f.code)
    if fix:
        out.append(f"          fix: {fix}")
    if verbose:
        spec = VALIDATION_CODES.get(f.code) or ENVELOPE_CODES.get(f.code)
        acks = ""
        if spec:
            acks = " ".join(f"{k}={v}" for k, v in (("TA105", spec.ta1), ("AK905", spec.ak9),
                            ("IK502", spec.ik5), ("IK304", spec.ik3), ("IK403", spec.ik4))
                            if v)
        offset = f", byte {f.location.offset}" if f.location.offset is not None else ""
        out.append(f"          SNIP {f.snip_level}{offset}{'; ' + acks if acks else ''}")
    return out


def render_text(report: ValidationReport, *, verbose: bool = False) -> str:
    verdict = "VALID" if report.valid else "INVALID"
    lines = [f"{report.file}: {verdict} (SNIP levels 1-{report.level})"]
    for f in report.findings:
        lines += _line(f, verbose)
    for icx in report.interchanges:
        lines.append(f" interchange {icx.control_number} from {icx.sender_qualifier}/"
                     f"{icx.sender} to {icx.receiver_qualifier}/{icx.receiver}")
        for f in icx.findings:
            lines += _line(f, verbose)
        for grp in icx.groups:
            lines.append(f"  group {grp.control_number} ({grp.functional_id}, "
                         f"{grp.version or 'no version'})")
            for f in grp.findings:
                lines += _line(f, verbose)
            for ts in grp.sets:
                status = "accepted" if ts.valid else "REJECTED"
                n = len(ts.findings)
                lines.append(f"   transaction set {ts.control_number} ({ts.id}): {status}"
                             + (f", {n} finding(s)" if n else ""))
                for f in ts.findings:
                    lines += ["  " + x for x in _line(f, verbose)]
    return "\n".join(lines) + "\n"


def render_json(reports: Iterable[ValidationReport]) -> str:
    docs = [r.to_dict() for r in reports]
    return json.dumps(docs[0] if len(docs) == 1 else docs, indent=2) + "\n"


def render_html(reports: Iterable[ValidationReport]) -> str:
    e = html.escape
    out = ["<!doctype html><html><head><meta charset='utf-8'><title>claimhouse validation"
           "</title><style>body{font-family:sans-serif}td,th{border:1px solid #ccc;"
           "padding:2px 6px}.error{color:#a00}.warning{color:#a60}</style></head><body>"]
    for r in reports:
        out.append(f"<h2>{e(str(r.file))}: {'valid' if r.valid else 'invalid'}</h2>")
        out.append("<table><tr><th>severity</th><th>where</th><th>set</th><th>what</th>"
                   "<th>fix</th><th>code</th></tr>")
        for f in r.all_findings():
            out.append(f"<tr class='{f.severity.value}'><td>{f.severity.value}</td>"
                       f"<td>{e(_where(f))}</td><td>{e(f.location.transaction_set or '')}</td>"
                       f"<td>{e(f.message)}</td><td>{e(_fix(f.code))}</td>"
                       f"<td>{e(f.code)}</td></tr>")
        out.append("</table>")
    out.append("</body></html>\n")
    return "".join(out)
