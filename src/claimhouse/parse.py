"""Parse X12 files into models through the registry, and render them for `claimhouse parse`."""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import orjson

from claimhouse.transactions import Binding, resolve
from claimhouse.x12 import EnvelopeReader, Finding, Source


@dataclass(slots=True)
class ParsedSet:
    binding: Binding
    model: Any
    records: Iterator[dict[str, Any]] | None = None
    """Set instead of ``model`` when the set is streamed (``iter_parsed(stream_jsonl=True)``
    and a binding with ``jsonl_stream``): its jsonl records, to consume before the next set."""


@dataclass(slots=True)
class Unsupported:
    set_id: str
    version: str | None
    control_number: str


@dataclass(slots=True)
class ParseOutcome:
    """What parsing a file gave: its envelope findings and the sets it could not bind."""

    findings: list[Finding] = field(default_factory=list)
    unsupported: list[Unsupported] = field(default_factory=list)


def iter_parsed(source: Source, outcome: ParseOutcome, *, name: str | None = None,
                stream_jsonl: bool = False) -> Iterator[ParsedSet]:
    """Yield each transaction set of ``source`` read into its model, one at a time (with
    ``stream_jsonl``, as a stream of jsonl records where the binding can stream)."""
    reader = EnvelopeReader(source, name=name)
    mapped: list[Finding] = []  # the map engine's (map-bad-value), located in this file
    for ts in reader.transaction_sets():
        binding, ts = resolve(ts)
        if binding is None:
            outcome.unsupported.append(Unsupported(ts.info.id, ts.info.version or ts.group.version,
                                                   ts.info.control_number))
            continue
        if stream_jsonl and binding.jsonl_stream_checked is not None:
            yield ParsedSet(binding, None, binding.jsonl_stream_checked(ts, mapped))
        elif stream_jsonl and binding.jsonl_stream is not None:
            yield ParsedSet(binding, None, binding.jsonl_stream(ts))
        elif binding.read_checked is not None:
            yield ParsedSet(binding, binding.read_checked(ts, mapped))
        else:
            yield ParsedSet(binding, binding.read(ts))
    outcome.findings.extend(reader.findings)
    outcome.findings.extend(
        dataclasses.replace(f, location=dataclasses.replace(f.location, file=reader.name))
        for f in mapped)


def write_json(parsed: Iterable[ParsedSet], out: IO[str]) -> None:
    """One JSON document per transaction kind: {"transaction": NAME, KEY: [...]}; several
    kinds in one run give a JSON array of such documents."""
    docs: dict[str, dict[str, Any]] = {}
    for p in parsed:
        doc = docs.setdefault(p.binding.name, {"transaction": p.binding.name,
                                               p.binding.json_key: []})
        if p.binding.json_items is not None:
            doc[p.binding.json_key].extend(p.binding.json_items(p.model))
        else:
            doc[p.binding.json_key].append(p.binding.to_json(p.model))
    values = list(docs.values())
    json.dump(values[0] if len(values) == 1 else values, out, indent=2)
    out.write("\n")


def write_jsonl(parsed: Iterable[ParsedSet], out: IO[str]) -> None:
    """One JSON object per line (per claim or claim payment), streamed.

    Lines are encoded by orjson (several times faster than ``json``); a record orjson
    cannot encode as ``json`` would byte for byte (non-ASCII text or DEL, which ``json``
    escapes; a type or an integer it does not take) goes through ``json``, so the output
    is the same either way.
    """
    dumps = json.JSONEncoder(separators=(",", ":")).encode
    fast = orjson.dumps
    lines: list[str] = []
    for p in parsed:
        records = p.records if p.records is not None else p.binding.jsonl_records(p.model)
        for rec in records:
            try:
                raw = fast(rec)
                line = (raw.decode("ascii") if raw.isascii() and b"\x7f" not in raw
                        else dumps(rec))
            except (TypeError, orjson.JSONEncodeError):
                line = dumps(rec)
            lines.append(line)
            if len(lines) >= 256:
                lines.append("")
                out.write("\n".join(lines))
                lines.clear()
    if lines:
        lines.append("")
        out.write("\n".join(lines))


def write_csv(parsed: Iterable[ParsedSet], out: IO[str]) -> None:
    """One row per service line, claim fields repeated; columns from the first binding."""
    writer: csv.DictWriter[str] | None = None
    for p in parsed:
        for row in p.binding.csv_rows(p.model):
            if writer is None:
                cols = list(p.binding.csv_columns) or list(row)
                writer = csv.DictWriter(out, fieldnames=cols, extrasaction="ignore")
                writer.writeheader()
            writer.writerow(row)
