"""A summary of a file's envelopes, for `claimhouse inspect` (no healthcare knowledge)."""

from __future__ import annotations

from typing import Any

from claimhouse.x12 import EnvelopeReader, Source


def inspect_file(source: Source, *, name: str | None = None) -> dict[str, Any]:
    """Walk ``source`` and describe its envelopes, counts and findings as plain data."""
    reader = EnvelopeReader(source, name=name).run()
    interchanges = []
    for icx in reader.interchanges:
        groups = []
        for grp in icx.groups:
            counts: dict[str, int] = {}
            for ts in grp.transaction_sets:
                counts[ts.id] = counts.get(ts.id, 0) + 1
            groups.append({
                "functional_id": grp.functional_id, "sender": grp.sender,
                "receiver": grp.receiver, "date": grp.date, "time": grp.time,
                "control_number": grp.control_number, "version": grp.version,
                "transaction_set_count": len(grp.transaction_sets),
                "transaction_sets_by_id": counts,
                "transaction_sets": [
                    {"id": ts.id, "control_number": ts.control_number, "version": ts.version,
                     "segments": ts.segment_count}
                    for ts in grp.transaction_sets[:1000]
                ],
            })
        d = icx.delimiters
        interchanges.append({
            "sender": f"{icx.sender_qualifier}:{icx.sender}",
            "receiver": f"{icx.receiver_qualifier}:{icx.receiver}",
            "date": icx.date, "time": icx.time, "version": icx.version,
            "control_number": icx.control_number, "usage": icx.usage,
            "ack_requested": icx.ack_requested,
            "delimiters": {"element": d.element, "component": d.component,
                           "repetition": d.repetition, "segment": d.segment},
            "group_count": len(icx.groups), "groups": groups,
        })
    return {
        "file": reader.name,
        "segments": reader.segment_total,
        "interchanges": interchanges,
        "findings": [f.to_dict() for f in reader.findings],
        "valid": not any(f.severity.value == "error" for f in reader.findings),
    }


def format_inspection(summary: dict[str, Any]) -> str:
    """A plain-text rendering of :func:`inspect_file`'s result."""
    lines = [f"{summary['file']}: {summary['segments']} segment(s), "
             f"{len(summary['interchanges'])} interchange(s)"]
    for icx in summary["interchanges"]:
        d = icx["delimiters"]
        lines.append(f"  ISA {icx['control_number']}  {icx['sender']} -> {icx['receiver']}  "
                     f"{icx['date']} {icx['time']}  version {icx['version']}  "
                     f"usage {icx['usage']}  delimiters {d['element']} {d['component']} "
                     f"{d['repetition'] or '-'} {d['segment']!r}")
        for grp in icx["groups"]:
            sets = ", ".join(f"{k} x{v}" for k, v in sorted(grp["transaction_sets_by_id"].items()))
            lines.append(f"    GS {grp['control_number']}  {grp['functional_id']}  "
                         f"{grp['sender']} -> {grp['receiver']}  {grp['version']}  "
                         f"{grp['transaction_set_count']} set(s): {sets or 'none'}")
    if summary["findings"]:
        lines.append(f"  {len(summary['findings'])} finding(s):")
        for f in summary["findings"]:
            loc = f["location"]
            where = ", ".join(f"{k} {v}" for k, v in loc.items() if k != "file")
            lines.append(f"    {f['severity']} {f['code']} ({where}): {f['message']}")
    else:
        lines.append("  no envelope findings")
    return "\n".join(lines)
