"""Reading the engine's views out of the store in bulk, set-based: one join per kind of row
for a whole chunk (claim payments joined to their candidate claims by patient control
number; the lines, payments, 2110s and CAS of a range of claims), through the driver
with hand-written SQL and plain value decoding (no ORM, no per-value type processing)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from claimhouse.reconcile._model import Adj, PaidLine, Posting, SubmittedClaim, SubmittedLine
from claimhouse.store._bulk import fetch_all

_CENTS: dict[int, Decimal] = {}


def _from_cents(value: Any) -> Decimal | None:
    """Integer cents (SQLite's Money) to a two-place Decimal; common amounts are cached."""
    if value is None:
        return None
    found = _CENTS.get(value)
    if found is None:
        found = Decimal(value).scaleb(-2)
        if len(_CENTS) < 500_000:
            _CENTS[value] = found
    return found


def _from_iso(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _same(value: Any) -> Any:
    return value


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
            return Codec(_from_cents, _from_iso, "1", "0")
        return Codec(_same, _same, "true", "false")


def _mods(value: str | None) -> tuple[str, ...]:
    return tuple(m for m in value.split(":") if m) if value else ()


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
    "cp.id, cp.position, cp.patient_control_number, cp.status_code, cp.total_charge, "
    "cp.paid_amount, cp.patient_responsibility, cp.payer_claim_control_number, "
    "cp.statement_from, cp.statement_to, cp.crossover_id, r.payer_key, r.payer_id, "
    "r.payer_additional_id, r.payer_name, r.payment_date, r.trace_number")
CLAIM_COLUMNS = (
    "c.id, c.patient_control_number, c.payer_id, c.payer_name, c.total_charge, "
    "c.service_from, c.service_to, c.submitted_on, c.other_payer_ids, c.frequency_code")


def _posting(codec: Codec, payers: dict[tuple[Any, ...], frozenset[str]], r: Sequence[Any],
             **extra: Any) -> Posting:
    money, day = codec.money, codec.day
    return Posting(
        r[0], r[2], r[3], money(r[4]), money(r[5]),
        _payer_ids(payers, r[11], r[12], r[13], r[14]), money(r[6]), r[7], day(r[15]),
        r[16], r[1], day(r[8]), day(r[9]), r[10], **extra)


def _claim(codec: Codec, r: Sequence[Any], lines: tuple[SubmittedLine, ...] = ()
           ) -> SubmittedClaim:
    return SubmittedClaim(
        key=r[0], patient_control_number=r[1], payer_id=r[2], payer_name=r[3],
        total_charge=codec.money(r[4]),
        other_payer_ids=frozenset(r[8].split(",")) if r[8] else frozenset(),
        service_from=codec.day(r[5]), service_to=codec.day(r[6]),
        submitted_on=codec.day(r[7]), lines=lines, voided=r[9] == "8")


def unmatched_with_candidates(conn: Connection, after: int, limit: int
                              ) -> list[tuple[Posting, list[SubmittedClaim]]]:
    """Claim payments without a claim (id > ``after``, at most ``limit``), each with every
    claim carrying its patient control number: one join on the PCN, not a query a row."""
    codec = Codec.of(conn)
    bound = fetch_all(conn,
        "SELECT max(id) FROM (SELECT id FROM claim_payments WHERE claim_id IS NULL "
        f"AND id > {int(after)} ORDER BY id LIMIT {int(limit)}) AS chunk")[0][0]
    if bound is None:
        return []
    span = f"cp.claim_id IS NULL AND cp.id > {int(after)} AND cp.id <= {int(bound)}"
    dates: dict[int, tuple[date, ...]] = {}
    for cp_id, first, last in fetch_all(conn,
            "SELECT sp.claim_payment_id, min(sp.service_date), max(sp.service_date) "
            "FROM service_payments sp JOIN claim_payments cp ON cp.id = sp.claim_payment_id "
            f"WHERE {span} GROUP BY sp.claim_payment_id"):
        if first is not None:
            first, last = codec.day(first), codec.day(last)
            dates[cp_id] = (first,) if last == first else (first, last)
    out: list[tuple[Posting, list[SubmittedClaim]]] = []
    payers: dict[tuple[Any, ...], frozenset[str]] = {}
    claims: dict[int, SubmittedClaim] = {}
    n = POSTING_COLUMNS.count(",") + 1
    for r in fetch_all(conn,
            f"SELECT {POSTING_COLUMNS}, {CLAIM_COLUMNS} FROM claim_payments cp "
            "JOIN remittances r ON r.id = cp.remittance_id "
            "LEFT JOIN claims c ON c.patient_control_number = cp.patient_control_number "
            f"WHERE {span} ORDER BY cp.id, c.id"):
        if not out or out[-1][0].key != r[0]:
            out.append((_posting(codec, payers, r, service_dates=dates.get(r[0], ())), []))
        claim_id = r[n]
        if claim_id is not None:
            claim = claims.get(claim_id)
            if claim is None:
                claim = claims[claim_id] = _claim(codec, r[n:])
            out[-1][1].append(claim)
    return out


@dataclass(slots=True)
class ClaimChunk:
    """A chunk of claims to settle with everything matched to them, and the values the
    store holds now (so only what changes is written back)."""

    claims: list[SubmittedClaim]
    postings: dict[int, list[Posting]]
    disposition: dict[int, str]
    line_paid: dict[int, Decimal]
    paid_line: dict[int, tuple[int | None, str | None]]


def dirty_claims(conn: Connection, after: int, limit: int) -> ClaimChunk | None:
    """The next ``limit`` dirty claims (id > ``after``) with their 2400 lines, and every
    posting matched to them with its remittance's payer, 2110s and CAS."""
    codec = Codec.of(conn)
    money, day = codec.money, codec.day
    heads = fetch_all(conn,
        f"SELECT {CLAIM_COLUMNS} FROM claims c WHERE c.dirty = {codec.true} "
        f"AND c.id > {int(after)} ORDER BY c.id LIMIT {int(limit)}")
    if not heads:
        return None
    ids = [h[0] for h in heads]
    wanted = set(ids)
    chunk = ClaimChunk([], defaultdict(list), {}, {}, {})
    lines: dict[int, list[SubmittedLine]] = defaultdict(list)
    for (key, claim_id, position, charge, code, mods, revenue, dos, lic,
         paid) in fetch_all(conn,
            "SELECT id, claim_id, position, charge, procedure_code, modifiers, revenue_code, "
            "service_date, line_item_control_number, paid_amount FROM service_lines "
            f"WHERE {id_filter('claim_id', ids)} ORDER BY id"):
        if claim_id in wanted:
            lines[claim_id].append(SubmittedLine(key, position, money(charge), code,
                                                 _mods(mods), revenue, day(dos), lic))
            chunk.line_paid[key] = money(paid)
    chunk.claims = [_claim(codec, h, tuple(lines.get(h[0], ()))) for h in heads]
    span = id_filter("cp.claim_id", ids)
    claim_adjs: dict[int, list[Adj]] = defaultdict(list)
    line_adjs: dict[int, list[Adj]] = defaultdict(list)
    for cp_id, sp_id, group, reason, amount, claim_id in fetch_all(conn,
            "SELECT a.claim_payment_id, a.service_payment_id, a.group_code, a.reason_code, "
            "a.amount, cp.claim_id FROM adjustments a JOIN claim_payments cp "
            f"ON cp.id = a.claim_payment_id WHERE {span} ORDER BY a.id"):
        if claim_id in wanted:
            adj = Adj(group, reason, money(amount))
            (claim_adjs[cp_id] if sp_id is None else line_adjs[sp_id]).append(adj)
    paid_lines: dict[int, list[PaidLine]] = defaultdict(list)
    for (sp_id, cp_id, position, charge, paid, code, mods, ocode, omods, revenue, dos, lic,
         line_id, rule, claim_id) in fetch_all(conn,
            "SELECT sp.id, sp.claim_payment_id, sp.position, sp.charge, sp.paid_amount, "
            "sp.procedure_code, sp.modifiers, sp.original_procedure_code, "
            "sp.original_modifiers, sp.revenue_code, sp.service_date, "
            "sp.line_item_control_number, sp.service_line_id, sp.match_rule, cp.claim_id "
            "FROM service_payments sp JOIN claim_payments cp ON cp.id = sp.claim_payment_id "
            f"WHERE {span} ORDER BY sp.id"):
        if claim_id in wanted:
            paid_lines[cp_id].append(PaidLine(
                sp_id, position, money(charge), money(paid), code, _mods(mods), ocode,
                _mods(omods), revenue, day(dos), lic, tuple(line_adjs.get(sp_id, ()))))
            chunk.paid_line[sp_id] = (line_id, rule)
    payers: dict[tuple[Any, ...], frozenset[str]] = {}
    for r in fetch_all(conn,
            f"SELECT {POSTING_COLUMNS}, cp.claim_id, cp.disposition, cp.match_rule "
            "FROM claim_payments cp JOIN remittances r ON r.id = cp.remittance_id "
            f"WHERE {span} ORDER BY cp.id"):
        claim_id = r[17]
        if claim_id in wanted:
            chunk.postings[claim_id].append(_posting(
                codec, payers, r, adjustments=tuple(claim_adjs.get(r[0], ())),
                lines=tuple(paid_lines.get(r[0], ())), match_rule=r[19]))
            chunk.disposition[r[0]] = r[18]
    return chunk
