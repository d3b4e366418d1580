"""Reading the engine's views out of the store in bulk, set-based: one join per kind of row
for a whole chunk (claim payments joined to their candidate claims by patient control
number; the lines, payments, 2110s and CAS of a range of claims), through the driver
with hand-written SQL and plain value decoding (no ORM, no per-value type processing)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from claimhouse.reconcile._model import ZERO, PaidLine, Posting, SubmittedClaim, SubmittedLine
from claimhouse.store._bulk import fetch_all


class _Decoded(dict[Any, Any]):
    """Stored values to engine values through a cache, as a mapping: ``cache[raw]`` is a
    plain dict lookup when the value was seen before (a workload repeats few amounts,
    days and modifier lists), a miss decodes it (and keeps it while the cache is small).
    ``None`` maps to ``None``."""

    def __init__(self, decode: Callable[[Any], Any], limit: int) -> None:
        super().__init__({None: None})
        self.decode = decode
        self.limit = limit

    def __missing__(self, raw: Any) -> Any:
        value = self.decode(raw)
        if len(self) < self.limit:
            self[raw] = value
        return value


def _from_cents(value: int) -> Decimal:
    """Integer cents (SQLite's Money) to a two-place Decimal."""
    return Decimal(value).scaleb(-2)


def _same(value: Any) -> Any:
    return value


_CENTS = _Decoded(_from_cents, 500_000)
_DAYS = _Decoded(date.fromisoformat, 100_000)


@dataclass(frozen=True, slots=True)
class Codec:
    """How one backend returns money and dates: SQLite integer cents and ISO text,
    PostgreSQL ``Decimal`` and ``date`` already."""

    money: Callable[[Any], Any]
    day: Callable[[Any], Any]
    true: str
    false: str

    @staticmethod
    def of(conn: Connection) -> Codec:
        if conn.dialect.name == "sqlite":
            # a cache hit is a dict lookup from C, no Python frame
            return Codec(_CENTS.__getitem__, _DAYS.__getitem__, "1", "0")
        return Codec(_same, _same, "true", "false")


def _mods(value: str | None) -> tuple[str, ...]:
    return tuple(m for m in value.split(":") if m) if value else ()


_MODS = _Decoded(_mods, 10_000)
_MODS[None] = ()


def id_filter(column: str, ids: Sequence[int]) -> str:
    """SQL for ``column`` among the sorted integer ``ids``: a range when they are dense
    (callers drop the extra rows a range brings), else an IN list of the integers."""
    if ids[-1] - ids[0] + 1 <= 2 * len(ids):
        return f"{column} BETWEEN {int(ids[0])} AND {int(ids[-1])}"
    return f"{column} IN ({', '.join(str(int(i)) for i in ids)})"


def _payer_ids(cache: dict[tuple[Any, ...], frozenset[str]], key: Any, payer_id: Any,
               additional: Any, name: Any) -> frozenset[str]:
    ident = (key, payer_id, additional, name)
    found = cache.get(ident)
    if found is None:
        found = cache[ident] = frozenset(
            v for v in (key, payer_id, additional, name and name.upper()) if v)
    return found


POSTING_COLUMNS = (
    "cp.id, cp.patient_control_number, cp.status_code, cp.total_charge, cp.statement_from, "
    "cp.statement_to, cp.remittance_id")
"""What claim matching reads of a claim payment (with its remittance's payer, read apart)."""
CLAIM_COLUMNS = (
    "c.id, c.patient_control_number, c.payer_id, c.payer_name, c.total_charge, "
    "c.service_from, c.service_to, c.other_payer_ids")
"""What claim matching reads of a candidate claim."""


def _remittance_payers(conn: Connection, remits: list[int]
                       ) -> dict[int, tuple[frozenset[str], Any, Any]]:
    """Each remittance's payer identities, payment date (as stored) and trace number."""
    span = id_filter("id", remits)
    payers: dict[tuple[Any, ...], frozenset[str]] = {}
    return {r[0]: (_payer_ids(payers, r[1], r[2], r[3], r[4]), r[5], r[6])
            for r in fetch_all(conn,
        "SELECT id, payer_key, payer_id, payer_additional_id, payer_name, payment_date, "
        f"trace_number FROM remittances WHERE {span}")}


def unmatched_with_candidates(conn: Connection, after: int, upto: int
                              ) -> list[tuple[Posting, list[SubmittedClaim]]]:
    """Claim payments without a claim (``after`` < id <= ``upto``), each with every claim
    carrying its patient control number: one join on the PCN, not a query a row.

    The views hold what :func:`choose_claim` reads: a posting's CLP01-03, statement and
    service dates and payer; a claim's payer, other payers, charge and dates."""
    codec = Codec.of(conn)
    money = codec.money
    day = codec.day
    span = f"cp.claim_id IS NULL AND cp.id > {int(after)} AND cp.id <= {int(upto)}"
    dates: dict[int, tuple[date, ...]] = {}
    for cp_id, first, last in fetch_all(conn,
            "SELECT sp.claim_payment_id, min(sp.service_date), max(sp.service_date) "
            "FROM service_payments sp JOIN claim_payments cp ON cp.id = sp.claim_payment_id "
            f"WHERE {span} GROUP BY sp.claim_payment_id"):
        if first is not None:
            first, last = day(first), day(last)
            dates[cp_id] = (first,) if last == first else (first, last)
    rows = fetch_all(conn,
            f"SELECT {POSTING_COLUMNS}, {CLAIM_COLUMNS} FROM claim_payments cp "
            "LEFT JOIN claims c ON c.patient_control_number = cp.patient_control_number "
            f"WHERE {span} ORDER BY cp.id, c.id")
    remittance = _remittance_payers(conn, sorted({r[6] for r in rows}))
    out: list[tuple[Posting, list[SubmittedClaim]]] = []
    claims: dict[int, SubmittedClaim] = {}
    candidates: list[SubmittedClaim] = []
    last_key = None
    for r in rows:
        if r[0] != last_key:
            last_key = r[0]
            candidates = []
            out.append((Posting(
                r[0], r[1], r[2], money(r[3]), ZERO, remittance[r[6]][0],
                statement_from=day(r[4]), statement_to=day(r[5]),
                service_dates=dates.get(r[0], ())), candidates))
        claim_id = r[7]
        if claim_id is not None:
            claim = claims.get(claim_id)
            if claim is None:
                claim = claims[claim_id] = SubmittedClaim(
                    key=claim_id, patient_control_number=r[8], payer_id=r[9],
                    payer_name=r[10], total_charge=money(r[11]),
                    other_payer_ids=frozenset(r[14].split(",")) if r[14] else frozenset(),
                    service_from=day(r[12]), service_to=day(r[13]))
            candidates.append(claim)
    return out


@dataclass(slots=True)
class ClaimChunk:
    """A chunk of claims to settle with everything matched to them, and the values the
    store holds now (so only what changes is written back)."""

    claims: list[SubmittedClaim]
    postings: dict[int, list[Posting]]
    disposition: dict[int, str]
    line_paid: dict[int, Any]
    """Each line's paid amount as the database holds it (SQLite: cents)."""
    paid_line: dict[int, tuple[int | None, str | None]]
    linked: dict[int, tuple[int, str]] = field(default_factory=dict)
    """Postings matched by this run and not yet written: id -> (claim id, claim rule)."""


Pending = dict[int, list[tuple[int, str]]]
"""Claim payments this run matched, by claim id: (posting id, claim rule) each. Their row
is written once, when the claim is settled (claim, rule and disposition together)."""


def dirty_claims(conn: Connection, after: int, upto: int,
                 pending: Pending | None = None) -> ClaimChunk | None:
    """The dirty claims with ``after`` < id <= ``upto``, with their 2400 lines, and every
    posting matched to them with its remittance's payer and 2110s: those the store links
    to them, and those ``pending`` names (taken out of it).

    The views hold what :func:`settle` reads and no more: claims without their dates and
    other payers (claim matching reads those), postings without their CLP03, statement
    dates and crossover, and each posting's CAS as the two sums settling uses
    (``Posting.cas_totals``: all but PR and CARC 23, and PR; summed by the database)
    instead of one ``Adj`` per triplet."""
    codec = Codec.of(conn)
    money, day = codec.money, codec.day
    heads = fetch_all(conn,
        "SELECT c.id, c.patient_control_number, c.payer_id, c.payer_name, c.total_charge, "
        f"c.frequency_code FROM claims c WHERE c.dirty = {codec.true} "
        f"AND c.id > {int(after)} AND c.id <= {int(upto)} ORDER BY c.id")
    if not heads:
        return None
    ids = [h[0] for h in heads]
    wanted = set(ids)
    chunk = ClaimChunk([], defaultdict(list), {}, {}, {})
    line_paid = chunk.line_paid
    lines: dict[int, list[SubmittedLine]] = defaultdict(list)
    for (key, claim_id, position, charge, code, mods, revenue, dos, lic,
         paid) in fetch_all(conn,
            "SELECT id, claim_id, position, charge, procedure_code, modifiers, revenue_code, "
            "service_date, line_item_control_number, paid_amount FROM service_lines "
            f"WHERE {id_filter('claim_id', ids)} ORDER BY claim_id, id"):
        if claim_id in wanted:
            lines[claim_id].append(SubmittedLine(
                key, position, money(charge), code,
                _MODS[mods], revenue, day(dos), lic))
            line_paid[key] = paid  # as stored: compared with what would be written
    chunk.claims = [SubmittedClaim(
        key=h[0], patient_control_number=h[1], payer_id=h[2], payer_name=h[3],
        total_charge=money(h[4]), lines=tuple(lines.get(h[0], ())), voided=h[5] == "8")
        for h in heads]
    span = id_filter("cp.claim_id", ids)
    if pending:
        for claim_id in ids:
            for cp_id, rule in pending.pop(claim_id, ()):
                chunk.linked[cp_id] = (claim_id, rule)
    if chunk.linked:
        span = (f"({span} OR cp.id IN "
                f"({', '.join(str(int(i)) for i in sorted(chunk.linked))}))")
    linked = chunk.linked
    heads_cp = []
    for r in fetch_all(conn,
        "SELECT cp.id, cp.claim_id, cp.position, cp.status_code, cp.paid_amount, "
        "cp.patient_responsibility, cp.payer_claim_control_number, cp.remittance_id, "
        f"cp.disposition, cp.match_rule FROM claim_payments cp WHERE {span}"):
        link = linked.get(r[0])
        if link is not None:  # its claim and rule as matched now (the row holds neither)
            r = (r[0], link[0], *r[2:9], link[1])
        if r[1] in wanted:
            heads_cp.append(r)
    if not heads_cp:
        return chunk
    mine = {r[0] for r in heads_cp}
    # exactly these payments (not a range: their ids interleave with other claims')
    span = f"claim_payment_id IN ({', '.join(str(int(i)) for i in sorted(mine))})"
    totals: dict[int, tuple[Decimal, Decimal]] = {}
    for cp_id, contractual, patient in fetch_all(conn,
            "SELECT claim_payment_id, sum(CASE WHEN group_code <> 'PR' "
            "AND reason_code <> '23' THEN amount ELSE 0 END), "
            "sum(CASE WHEN group_code = 'PR' THEN amount ELSE 0 END) "
            f"FROM adjustments WHERE {span} GROUP BY claim_payment_id"):
        if cp_id in mine:
            totals[cp_id] = (money(contractual) or ZERO, money(patient) or ZERO)
    paid_lines: dict[int, list[PaidLine]] = defaultdict(list)
    paid_line = chunk.paid_line
    for (sp_id, cp_id, charge, paid, code, mods, ocode, omods, revenue, dos, lic,
         line_id, rule) in fetch_all(conn,
            "SELECT id, claim_payment_id, charge, paid_amount, procedure_code, modifiers, "
            "original_procedure_code, original_modifiers, revenue_code, service_date, "
            "line_item_control_number, service_line_id, match_rule FROM service_payments "
            f"WHERE {span} ORDER BY claim_payment_id, id"):
        if cp_id in mine:
            paid_lines[cp_id].append(PaidLine(
                sp_id, 0, money(charge),
                money(paid), code, _MODS[mods], ocode,
                _MODS[omods], revenue, day(dos), lic))
            paid_line[sp_id] = (line_id, rule)
    remittance = _remittance_payers(conn, sorted({r[7] for r in heads_cp}))
    no_cas = (ZERO, ZERO)
    postings, disposition = chunk.postings, chunk.disposition
    for (cp_id, claim_id, position, status, paid, patient, icn, remit_id, disp,
         rule) in heads_cp:
        payer_ids, paid_on, trace = remittance[remit_id]
        postings[claim_id].append(Posting(
            cp_id, "", status, ZERO, money(paid), payer_ids,
            money(patient), icn, day(paid_on), trace, position,
            lines=tuple(paid_lines.get(cp_id, ())), match_rule=rule,
            cas_totals=totals.get(cp_id, no_cas)))
        disposition[cp_id] = disp
    return chunk
