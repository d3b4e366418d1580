"""The generated writers (transactions/_engine_writegen.py) give the bytes the generic,
definition-interpreting writer gives, for every corpus 837 and 835 and the fixtures; and
the chunked delimiter check still refuses bad values, naming the segment and element."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from claimhouse.errors import WriteError
from claimhouse.models import Note, Remittance, load_claim_batch
from claimhouse.transactions import resolve
from claimhouse.transactions._claims837_levels import build_document
from claimhouse.transactions._engine import load_map
from claimhouse.transactions._engine_write import _write_loop_generic, write_loop
from claimhouse.transactions.claims837 import (
    read_claim_batch,
    transaction_map,
    write_claim_batch,
)
from claimhouse.x12 import EnvelopeReader, SegmentWriter, SequentialControlNumbers, fixed_clock
from tests.conftest import CORPUS, FIXTURES, corpus_params

NOW = datetime(2026, 3, 1, 9, 30)


def _both(root: Any, model: Any) -> tuple[bytes, bytes, int, int]:
    fast, slow = io.BytesIO(), io.BytesIO()
    wf, ws = SegmentWriter(fast), SegmentWriter(slow)
    write_loop(wf, root, model)
    _write_loop_generic(ws, root, model)
    return fast.getvalue(), slow.getvalue(), wf.count, ws.count


def _is_837_or_835(row: dict[str, str]) -> bool:
    return row["transaction"] in ("837P", "837I", "835") and "valid" in row["valid_hint"] \
        and row["version"].startswith("00501")


@pytest.mark.corpus
@pytest.mark.parametrize("row", corpus_params(_is_837_or_835))
def test_generated_writer_gives_the_generic_writers_bytes(row: dict[str, str]) -> None:
    path = CORPUS / row["local_path"]
    checked = 0
    for ts in EnvelopeReader(path).transaction_sets():
        binding, ts = resolve(ts)
        if binding is None:
            continue
        if binding.set_id == "837":
            batch = read_claim_batch(ts)
            tmap = transaction_map(batch.kind)
            model: Any = build_document(batch, NOW)
        elif binding.set_id == "835":
            tmap = load_map("835.005010X221A1.xml", Remittance)
            model = tmap.read(ts.segments, component=ts.delimiters.component)
        else:
            continue
        fast, slow, nf, ns = _both(tmap.definition.root, model)
        assert fast == slow and nf == ns
        checked += 1
    assert checked


@pytest.mark.parametrize("path", sorted((FIXTURES / "json").glob("claims-*.json")),
                         ids=lambda p: p.name)
def test_fixture_claims_same_bytes(path: Path) -> None:
    import json

    batch = load_claim_batch(json.loads(path.read_text(encoding="utf-8")))
    fast, slow, _, _ = _both(transaction_map(batch.kind).definition.root,
                             build_document(batch, NOW))
    assert fast == slow


def _fixture_batch():  # type: ignore[no-untyped-def]
    import json

    path = FIXTURES / "json" / "claims-professional.json"
    return load_claim_batch(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("bad", ["SMITH*JONES", "A:B", "A~B", "A^B", "LINE\nBREAK"])
def test_a_delimiter_in_a_value_is_refused_naming_the_element(bad: str) -> None:
    batch = _fixture_batch()
    batch.claims[-1].subscriber.last_name = bad
    with pytest.raises(WriteError) as info:
        write_claim_batch(batch, io.BytesIO(), sender="S", receiver="R",
                          clock=fixed_clock(NOW), control_numbers=SequentialControlNumbers())
    assert "NM103" in str(info.value)
    assert bad not in str(info.value)  # no PHI in the message


def test_a_non_latin1_value_is_refused() -> None:
    batch = _fixture_batch()
    batch.claims[0].notes.append(Note("ADD", "na\u00efve \u2603"))
    with pytest.raises(WriteError) as info:
        write_claim_batch(batch, io.BytesIO(), sender="S", receiver="R",
                          clock=fixed_clock(NOW), control_numbers=SequentialControlNumbers())
    assert "NTE" in str(info.value) and "Latin-1" in str(info.value)


def test_a_bad_value_in_a_kept_segment_is_refused() -> None:
    batch = _fixture_batch()
    batch.claims[0].extra_segments.append(["K3", "FREE*FORM"])
    with pytest.raises(WriteError) as info:
        write_claim_batch(batch, io.BytesIO(), sender="S", receiver="R",
                          clock=fixed_clock(NOW), control_numbers=SequentialControlNumbers())
    assert "K3" in str(info.value)


def test_kept_segments_round_trip_in_guide_order() -> None:
    batch = _fixture_batch()
    c = batch.claims[0]
    # in guide order, as a reader would keep them (the writer puts each at its slot)
    c.extra_segments += [["PWK", "OZ", "BM", "", "", "AC", "DMN0012"], ["CN1", "02", "100"],
                         ["HCP", "03", "26.75", "2.00"]]
    line = c.service_lines[0]
    line.extra_segments += [["CR3", "I", "MO", "12"], ["LQ", "UT", "01.02"], ["FRM", "1", "Y"]]
    out = io.BytesIO()
    write_claim_batch(batch, out, sender="S", receiver="R", clock=fixed_clock(NOW),
                      control_numbers=SequentialControlNumbers())
    ids = [s.split("*")[0] for s in out.getvalue().decode("latin-1").split("~")]
    assert ids.index("PWK") < ids.index("CN1") < ids.index("HI") < ids.index("HCP")
    assert ids.index("SV1") < ids.index("CR3") < ids.index("DTP", ids.index("SV1"))
    assert ids.index("LQ") < ids.index("FRM") and ids.index("LQ") > ids.index("SV1")
    [again] = [read_claim_batch(ts) for ts in EnvelopeReader(out.getvalue()).transaction_sets()]
    assert again.claims[0].extra_segments == c.extra_segments
    assert again.claims[0].service_lines[0].extra_segments == line.extra_segments
