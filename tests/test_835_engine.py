"""The generic map engine on a toy definition: dispatch, loops, streaming, extras, errors."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from claimhouse.errors import DefinitionError, X12Error
from claimhouse.transactions._engine import TransactionMap
from claimhouse.x12 import Finding, Segment, SegmentWriter


@dataclass(slots=True)
class Adj:
    group: str | None = None
    reason: str | None = None
    amount: Decimal | None = None


@dataclass(slots=True)
class Part:
    code: str | None = None
    amount: Decimal | None = None


@dataclass(slots=True)
class Bundle:
    owner: str | None = None
    parts: list[Part] = field(default_factory=list)


@dataclass(slots=True)
class Name:
    last: str | None = None
    ident: str | None = None


@dataclass(slots=True)
class Item:
    code: str
    mods: list[str] = field(default_factory=list)
    when: date | None = None
    adjs: list[Adj] = field(default_factory=list)
    extra_segments: list[list[str]] = field(default_factory=list)


@dataclass(slots=True)
class Head:
    total: Decimal | None = None
    who: Name | None = None
    other: Name | None = None
    items: list[Item] = field(default_factory=list)
    bundles: list[Bundle] = field(default_factory=list)
    extra_segments: list[list[str]] = field(default_factory=list)


TOY = """<?xml version="1.0"?>
<transaction id="999" version="005010X999">
  <segment id="TOT"><e pos="1" field="total"/></segment>
  <segment id="NM1" match="1:AA" object="who">
    <e pos="2" field="last"/><e pos="3" field="ident"/>
  </segment>
  <segment id="NM1" match="1:BB" object="other"><e pos="2" field="last"/></segment>
  <loop id="L1" list="items" stream="true">
    <segment id="ITM">
      <e pos="1" comp="1" field="code"/><e pos="1" comp="2" to="4" field="mods"/>
      <e pos="2" field="when"/>
    </segment>
    <segment id="CAS" list="adjs">
      <e pos="1" field="group"/>
      <repeat start="2" size="2" max="3">
        <e pos="1" field="reason"/><e pos="2" field="amount"/>
      </repeat>
    </segment>
  </loop>
  <segment id="BUN" list="bundles">
    <e pos="1" field="owner"/>
    <repeat start="2" size="2" max="2" list="parts">
      <e pos="1" field="code"/><e pos="2" field="amount"/>
    </repeat>
  </segment>
</transaction>
"""


def _segs(text: str) -> list[Segment]:
    return [Segment(s.split("*"), i, 0) for i, s in enumerate(text.split("~"), 1) if s]


@pytest.fixture
def toy(tmp_path: Path) -> TransactionMap:
    p = tmp_path / "toy.xml"
    p.write_text(TOY)
    return TransactionMap.load(p, Head)


BODY = ("TOT*10.50~NM1*BB*OTHER~NM1*AA*SMITH*42~ZZZ*1*A:B~ITM*X:M1:M2*20260102~"
        "CAS*CO*45*1.00*97*2.00~CAS*CO*1*3~ITM*Y~QQQ*9~ITM*Z~BUN*P*A*1*B*2~BUN*Q~")


def test_reads_loops_objects_lists_repeats(toy: TransactionMap) -> None:
    head = toy.read(_segs(BODY))
    assert head.total == Decimal("10.50")
    assert head.who == Name("SMITH", "42") and head.other == Name("OTHER")
    assert [i.code for i in head.items] == ["X", "Y", "Z"]
    x = head.items[0]
    assert x.mods == ["M1", "M2"] and x.when == date(2026, 1, 2)
    assert [(a.group, a.reason, a.amount) for a in x.adjs] == [
        ("CO", "45", Decimal("1.00")), ("CO", "97", Decimal("2.00")), ("CO", "1", Decimal(3))]
    assert head.extra_segments == [["ZZZ", "1", "A:B"]]
    assert head.items[1].extra_segments == [["QQQ", "9"]]
    assert head.bundles == [Bundle("P", [Part("A", Decimal(1)), Part("B", Decimal(2))]),
                            Bundle("Q")]


def test_write_then_read_is_identity(toy: TransactionMap) -> None:
    head = toy.read(_segs(BODY))
    out = io.BytesIO()
    toy.write(head, SegmentWriter(out))
    text = out.getvalue().decode()
    assert "CAS*CO*45*1.00*97*2.00*1*3~" in text  # consecutive same-group triplets packed
    assert toy.read(_segs(text)) == head


def test_stream_yields_items_then_root(toy: TransactionMap) -> None:
    events = list(toy.stream(_segs(BODY)))
    assert [e.item.code for e in events[:-1]] == ["X", "Y", "Z"]
    assert events[0].partial().who == Name("SMITH", "42")
    root = events[-1].item
    assert root.items == [] and root.total == Decimal("10.50") and len(root.bundles) == 2


def test_repeated_single_segment_is_kept_as_extra(toy: TransactionMap) -> None:
    head = toy.read(_segs("TOT*1~TOT*2~NM1*AA*A~NM1*AA*B~ITM*A~ITM*B~"))
    assert head.total == Decimal(1) and head.who == Name("A")
    assert head.extra_segments == [["TOT", "2"], ["NM1", "AA", "B"]]
    assert [i.code for i in head.items] == ["A", "B"]


def test_bad_value_maps_the_rest_and_keeps_the_raw_segment(toy: TransactionMap) -> None:
    findings: list[Finding] = []
    body = "TOT*1,0~NM1*AA*SMITH~ITM*A*20261399~CAS*CO*45*X~"
    head = toy.read(_segs(body), findings=findings)
    assert head.total is None and head.extra_segments == [["!TOT", "1,0"]]
    item = head.items[0]
    assert item.code == "A" and item.when is None  # the rest of the segment is mapped
    assert item.extra_segments == [["CAS", "CO", "45", "X"], ["!ITM", "A", "20261399"]]
    assert [f.code for f in findings] == ["map-bad-value"] * 3
    assert all("1,0" not in f.message and "20261399" not in f.message for f in findings)
    out = io.BytesIO()
    toy.write(head, SegmentWriter(out))
    assert out.getvalue().decode() == "TOT*1,0~NM1*AA*SMITH~ITM*A*20261399~CAS*CO*45*X~"
    assert toy.read(_segs(out.getvalue().decode())) == head


def test_model_that_cannot_be_built_raises_x12error(toy: TransactionMap) -> None:
    with pytest.raises(X12Error, match="loop L1"):
        toy.read(_segs("ITM**20261201~"))  # Item.code is required


def test_other_component_separator_is_normalised(toy: TransactionMap) -> None:
    head = toy.read([Segment(["ITM", "X>M1"], 1, 0), Segment(["ZZZ", "A>B"], 2, 0)],
                    component=">")
    assert head.items[0].mods == ["M1"] and head.items[0].extra_segments == [["ZZZ", "A:B"]]


@pytest.mark.parametrize("xml, message", [
    ('<transaction id="1" version="2"><segment id="TOT"><e pos="1" field="nope"/>'
     '</segment></transaction>', "no field"),
    ('<transaction id="1" version="2"><loop id="L" list="items"><segment id="ITM">'
     '<e pos="1" field="code"/></segment></loop><segment id="X" object="total"/>'
     '</transaction>', "not a model"),
    ('<transaction id="1" version="2"><segment id="ITM" match="1:A,B"><e pos="2" '
     'field="total"/></segment></transaction>', "several match values"),
    ("<nottransaction/>", "root must be"),
    ("<transaction", "cannot read"),
])
def test_bad_definitions_raise(tmp_path: Path, xml: str, message: str) -> None:
    p = tmp_path / "bad.xml"
    p.write_text(xml)
    with pytest.raises(DefinitionError, match=message):
        TransactionMap.load(p, Head)


def test_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("LEAK")
    p = tmp_path / "xxe.xml"
    p.write_text(f'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file://{secret}">]>'
                 '<transaction id="1" version="&x;"><segment id="TOT"><e pos="1" '
                 'field="total"/></segment></transaction>')
    try:
        m = TransactionMap.load(p, Head)
    except DefinitionError:
        return
    assert "LEAK" not in m.version
