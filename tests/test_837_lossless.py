"""837 parse -> generate loses nothing: every valid 5010 837P/837I in the corpus is read into
claim models, written again, and both files are tokenized; per claim, the multiset of
segments of the claim (2300 and below) and of its enclosing HL levels (2000A/B/C, HL itself
left out: the writer renumbers and regroups levels) must be equal, as must the header.

Normalisations the writer makes on purpose (each asserted, not skipped):
- HI composites are compared one by one (the writer regroups them per the guide's HI
  segments);
- 837I CLM06 is Not Used in X223 and is not written;
- DTP*434 (statement dates) is always an RD8 range, so ``D8*d`` becomes ``RD8*d-d``.

Known losses in malformed sources are listed in ``_KNOWN`` with the reason; any other
loss fails."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from claimhouse.models import ClaimBatch, from_json, json_schema, to_json
from claimhouse.x12 import EnvelopeReader
from tests.conftest import CORPUS, corpus_params
from tests.test_837_corpus import _batches, _valid_5010, _write

_ENVELOPE = frozenset({"ISA", "GS", "ST", "SE", "GE", "IEA"})
_LEVELS = ("20", "22", "23")

_KNOWN: dict[str, frozenset[str]] = {
    # ISA16 declares ':' but the composites use '>': SV101 is unreadable as a composite
    "linuxforhealth-x12/837_005010X222A2/demo.cob.2ndary.example4.837": frozenset({"SV1"}),
    "linuxforhealth-x12/837_005010X222A2/demo.example11.837": frozenset({"SV1"}),
    "linuxforhealth-x12/837_005010X222A2/demo.example9.837": frozenset({"SV1"}),
    "linuxforhealth-x12/837_005010X223A3/out-of-network-repriced-claim.837i": frozenset({"SV2"}),
    "linuxforhealth-x12/837_005010X223A3/ppo-repriced-claim.837i": frozenset({"SV2"}),
    "oopfactory-x12parser/INS/_837I/_5010/Spec_3.1.3_PPORepricedClaim.txt": frozenset({"SV2"}),
    "oopfactory-x12parser/INS/_837I/_5010/Spec_3.1.4_OutOfNetworkRepricedClaim.txt":
        frozenset({"SV2"}),
    # SBR08 (Not Used) carries the filing indicator: elements no definition maps are dropped
    "oopfactory-x12parser/INS/_837P/_5010/Example1_2_And_3_Combined.txt": frozenset({"SBR"}),
    "oopfactory-x12parser/INS/_837P/_5010/Example3_COB.txt": frozenset({"SBR"}),
    # a second 2330C in one 2320 (the definition holds one per other payer)
    "imsweb-x12-parser/837_5010/x12_complex.txt": frozenset({"NM1"}),
}

Seg = tuple[str, ...]


def _normal(els: list[str], comp: str, institutional: bool) -> list[Seg]:
    out = [e.replace(comp, ":") if comp else e for e in els]
    out = [e.rstrip(":") if ":" in e else e for e in out]
    while len(out) > 1 and out[-1] == "":
        out.pop()
    if out[0] == "HI":
        return [("HI", c) for c in out[1:] if c]
    if out[0] == "CLM" and institutional and len(out) > 6:
        out[6] = ""
    if out[0] == "DTP" and len(out) == 4 and out[1] == "434" and out[2] == "D8":
        out = ["DTP", "434", "RD8", f"{out[3]}-{out[3]}"]
    return [tuple(out)]


def _blocks(source: Path | bytes) -> list[tuple[Counter[Seg], list[Counter[Seg]]]]:
    """Per transaction set: the header segments and, per claim, its own and its levels'."""
    sets = []
    for ts in EnvelopeReader(source).transaction_sets():
        comp = ts.delimiters.component
        segments = list(ts.segments)
        institutional = any(s.elements[0] == "SV2" for s in segments)
        header: list[Seg] = []
        levels: dict[str, list[Seg]] = {}
        current: list[Seg] = header
        claims: list[list[Seg]] = []
        for seg in segments:
            sid = seg.elements[0]
            if sid in _ENVELOPE:
                continue
            if sid == "HL":
                code = seg.elements[3] if len(seg.elements) > 3 else ""
                levels = {k: v for k, v in levels.items() if k < code}
                current = levels[code] = []
                continue
            if sid == "CLM":
                current = [s for k in _LEVELS for s in levels.get(k, [])]
                claims.append(current)
            current.extend(_normal(seg.elements, comp, institutional))
        sets.append((Counter(header), [Counter(c) for c in claims]))
    return sets


@pytest.mark.corpus
@pytest.mark.parametrize("row", corpus_params(_valid_5010))
def test_parse_generate_drops_no_segment(row: dict[str, str]) -> None:
    path = CORPUS / row["local_path"]
    generated: list[tuple[Counter[Seg], list[Counter[Seg]]]] = []
    for _, batch in _batches(path):
        generated += _blocks(_write(batch))
    original = _blocks(path)
    assert len(generated) == len(original)
    lost: Counter[Seg] = Counter()
    for (h1, c1), (h2, c2) in zip(original, generated, strict=True):
        assert len(c1) == len(c2)
        lost += h1 - h2
        for a, b in zip(c1, c2, strict=True):
            lost += a - b
    known = _KNOWN.get(row["local_path"], frozenset())
    unexpected = sorted({s[0] for s in lost} - known)
    assert not unexpected, f"segments dropped: {unexpected}"
    if known:  # the allowance must still be needed (a fix should shrink _KNOWN)
        assert {s[0] for s in lost} == known


def test_lossless_test_is_not_vacuous(corpus: Path) -> None:
    """The comparison sees the segments the claim models used to drop."""
    path = corpus / "linuxforhealth-x12/837_005010X222A2/demo.ambulance.example5.837"
    [(_, claims)] = _blocks(path)
    assert claims
    ids = {s[0] for c in claims for s in c}
    assert {"CR1", "CRC", "NM1", "N3", "N4"} <= ids
    [(_, written)] = _blocks(_write(next(_batches(path))[1]))
    assert sum(written, Counter()) == sum(claims, Counter())


_CLM_DEFAULTS = ("provider_signature", "assignment_participation", "benefits_assignment",
                 "release_of_information")


@pytest.mark.corpus
@pytest.mark.parametrize("row", corpus_params(_valid_5010))
def test_claim_json_round_trips_what_the_file_carried(row: dict[str, str]) -> None:
    """Claim JSON (what `generate 837` reads) carries the kept segments and typed
    additions: to_json -> from_json gives equal claims, and a batch rebuilt from JSON
    writes the same bytes as the batch read from the file."""
    for _, batch in _batches(CORPUS / row["local_path"]):
        if not all(c.service_lines for c in batch.claims):
            continue  # a claim without lines (malformed source) is not valid claim JSON
        data = json.loads(json.dumps(to_json(batch)))
        again = from_json(ClaimBatch, data)
        # JSON leaves out None, so a CLM06-09 left empty in the source (CLM06 is Not Used
        # in 837I; CLM07-09 are required: malformed) comes back as the models' default
        for c, orig in zip(again.claims, batch.claims, strict=True):
            for name in _CLM_DEFAULTS:
                if getattr(orig, name) is None:
                    setattr(c, name, None)
        assert again == batch
        assert _write(again) == _write(batch)


def test_claim_schema_names_the_lossless_fields() -> None:
    schema = json.dumps(json_schema(ClaimBatch))
    for name in ("extra_segments", "level_extra_segments", "payer_extra_segments",
                 "drg_code", "other_dates", "note_code"):
        assert f'"{name}"' in schema
