"""SNIP level 2 through pyx12: the only module of claimhouse that imports pyx12.

pyx12 validates against its XML maps of the implementation guides. We run its
``x12n_document`` with its JSON error output, keep its error codes and positions (file
segment ordinal, position in the set, loop id, element and component) and write our own
messages: pyx12's messages and values quote element content, which may be PHI.

Our own maps (``maps/*.xml`` in pyx12's format, e.g. the 837D X224A2 map pyx12 lacks)
are added without touching the installed package: pyx12 accepts one ``map_path``
directory holding ``maps.xml`` and every map, so we build, once per process, a temporary
directory of links to pyx12's own map files plus ours, with a merged ``maps.xml``.
"""

from __future__ import annotations

import atexit
import bisect
import contextlib
import io
import json
import logging
import re
import shutil
import tempfile
import threading
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import IO, Any

from lxml import etree

from claimhouse._xml import parse_xml
from claimhouse.validate._codes import PYX12_ELEMENT_CODES, PYX12_SEGMENT_CODES, VALIDATION_CODES
from claimhouse.x12 import Finding, Location

log = logging.getLogger(__name__)

@dataclass(frozen=True, slots=True)
class ExtraMap:
    """One of our maps registered with pyx12: ISA12, GS01, GS08 and the map file name."""

    icvn: str
    fic: str
    vriic: str
    abbr: str
    file: str


EXTRA_MAPS: tuple[ExtraMap, ...] = (
    ExtraMap("00501", "HC", "005010X224A2", "837D", "837.5010.X224.A2.xml"),
)


def pyx12_map_dir() -> Path:
    """pyx12's installed map folder (read only; used for its XSD and maps)."""
    return Path(str(files("pyx12").joinpath("map")))


def project_map_dir() -> Path:
    """Our package's maps folder (``maps/`` at the top of the repository)."""
    return Path(str(files("claimhouse").joinpath("maps")))


_PYX12_MAP_NAME = re.compile(r"^\d{3}[A-Z0-9]*\.\d{4}\.X\d{3}")


def is_pyx12_map(path: Path) -> bool:
    """Whether ``path`` is a map in pyx12's format, named like pyx12's own
    (``837.5010.X224.A2.xml``); the transaction definitions of our readers share the
    folder under names like ``837D.005010X224A2.xml``."""
    return bool(_PYX12_MAP_NAME.match(path.name)) and path.suffix == ".xml"


_lock = threading.Lock()
_merged: Path | None = None


def merged_map_path() -> str:
    """A directory with pyx12's maps, ours and a merged ``maps.xml`` (built once)."""
    global _merged
    with _lock:
        if _merged is not None and _merged.is_dir():
            return str(_merged)
        tmp = Path(tempfile.mkdtemp(prefix="claimhouse-pyx12-maps-"))
        atexit.register(shutil.rmtree, tmp, True)
        src = pyx12_map_dir()
        for p in src.iterdir():
            if p.suffix in (".xml", ".xsd", ".dtd") and p.name != "maps.xml":
                (tmp / p.name).symlink_to(p)
        ours = project_map_dir()
        index = parse_xml(src / "maps.xml")
        for extra in EXTRA_MAPS:
            path = ours / extra.file
            if not path.is_file():
                continue
            (tmp / extra.file).unlink(missing_ok=True)
            (tmp / extra.file).symlink_to(path)
            version = index.find(f"version[@icvn='{extra.icvn}']")
            if version is None:
                version = etree.SubElement(index.getroot(), "version", icvn=extra.icvn)
            m = etree.SubElement(version, "map", vriic=extra.vriic, fic=extra.fic,
                                 abbr=extra.abbr)
            m.text = extra.file
        index.write(str(tmp / "maps.xml"), encoding="utf-8", xml_declaration=True)
        _apply_corrections(tmp, ours / "pyx12-corrections.xml")
        _merged = tmp
        return str(tmp)


def _apply_corrections(tmp: Path, corrections: Path) -> None:
    """Write corrected copies of pyx12 maps (usage of an element) into ``tmp``."""
    if not corrections.is_file():
        return
    for c in parse_xml(corrections).getroot().iter("correction"):
        target = tmp / str(c.get("map"))
        tree = parse_xml(target.resolve())
        for el in tree.getroot().iter("element"):
            if c.get("element") and el.get("xid") == c.get("element"):
                usage = el.find("usage")
                if usage is not None:
                    usage.text = c.get("usage")
        for loop in tree.getroot().iter("loop"):
            if c.get("loop") and loop.get("xid") == c.get("loop"):
                repeat = loop.find("repeat")
                if repeat is not None:
                    repeat.text = c.get("repeat")
        target.unlink()
        tree.write(str(target), encoding="utf-8", xml_declaration=True)


@contextlib.contextmanager
def _quiet_pyx12() -> Iterator[None]:
    """pyx12 logs element values (PHI) on the 'pyx12' logger tree: while it runs, send
    that tree to a null handler only (no propagation, no last-resort stderr output)."""
    logger = logging.getLogger("pyx12")
    null = logging.NullHandler()
    saved = (logger.propagate, logger.level)
    logger.addHandler(null)
    logger.propagate = False
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.removeHandler(null)
        logger.propagate, logger.level = saved[0], saved[1]


def _text_stream(data: bytes | Path) -> IO[str]:
    """The file as pyx12 wants it: text starting at ISA (a BOM and leading line breaks
    removed; pyx12 reads the first 106 characters as the ISA). A path is opened and
    streamed (Latin-1, no newline translation), not read whole."""
    if isinstance(data, Path):
        fh = open(data, "rb")  # noqa: SIM115 - closed by pyx12's reader via the wrapper
        head = fh.read(64)
        skip = 3 if head.startswith(b"\xef\xbb\xbf") else 0
        skip += len(head[skip:]) - len(head[skip:].lstrip(b"\r\n"))
        fh.seek(skip)
        return io.TextIOWrapper(fh, encoding="latin-1", newline="")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    data = data.lstrip(b"\r\n")
    return io.StringIO(data.decode("latin-1"))


@dataclass(slots=True)
class Pyx12Result:
    """pyx12's verdict and its findings (PHI-free), or why it gave none."""

    valid: bool | None
    findings: list[Finding]
    unsupported: list[str]
    """GS08 versions pyx12 has no map for (level 2 not checked for them)."""


def run_pyx12(data: bytes | Path, name: str | None) -> Pyx12Result:
    """Validate ``data`` (bytes, or a file streamed from its path) with pyx12 and
    translate its errors into findings."""
    import pyx12.errors
    import pyx12.params
    import pyx12.x12n_document

    param = pyx12.params.params()
    out_json = io.StringIO()
    valid: bool | None
    envelope = _Pyx12Callback(name)
    stream = _text_stream(data)
    with _quiet_pyx12(), stream:
        try:
            valid = bool(pyx12.x12n_document.x12n_document(
                param, stream, None, None, None, out_json,
                map_path=merged_map_path(), callback=envelope))
        except pyx12.errors.EngineError as exc:
            if "Map not found" in str(exc):
                return Pyx12Result(None, [], [_vriic(str(exc))])
            return _engine_failure(name, type(exc).__name__)
        except Exception as exc:  # pyx12 crashes on some malformed files (e.g. no ST03)
            return _engine_failure(name, type(exc).__name__)
    text = out_json.getvalue()
    if not text:
        # pyx12 could not read the interchange at all (no ISA at offset 0, or an ISA12
        # other than 00401/00501): it returns False without findings. Level 1 says why
        # when the file is bad; otherwise the version is one pyx12 cannot check.
        return Pyx12Result(None, [], [""])
    doc: dict[str, Any] = json.loads(text)
    return Pyx12Result(valid, envelope.findings + list(_translate(doc, name, envelope)), [])


_ENVELOPE_SEGMENTS = frozenset({"ISA", "GS", "ST", "SE", "GE", "IEA"})
_LOOP_ID = re.compile(r"^\d{4}[A-Z]?$")


class _Pyx12Callback:
    """pyx12's per-segment callback: collects element errors of envelope segments, which
    pyx12 keeps on its ISA/GS/ST error nodes and leaves out of its JSON output."""

    def __init__(self, name: str | None) -> None:
        self.name = name
        self.findings: list[Finding] = []
        self.icn: str | None = None
        self.gcn: str | None = None
        self.scn: str | None = None
        self.loop_starts: array[int] = array("q")
        self.loop_ids: list[str | None] = []
        self._loop: str | None = None

    def loop_at(self, ordinal: int | None) -> str | None:
        """The guide loop id (e.g. 2300) of the segment at file ordinal ``ordinal``."""
        if ordinal is None or not self.loop_starts:
            return None
        i = bisect.bisect_right(self.loop_starts, ordinal) - 1
        return self.loop_ids[i] if i >= 0 else None

    def __call__(self, seg: Any, src: Any, node: Any, valid: bool) -> None:
        seg_id = seg.get_seg_id()
        if seg_id not in _ENVELOPE_SEGMENTS:
            parent = getattr(node, "parent", None)
            loop = getattr(parent, "id", None) if parent is not None else None
            if loop != self._loop:  # run-length: only where the loop changes
                self._loop = loop
                self.loop_starts.append(src.get_cur_line())
                self.loop_ids.append(loop if loop and _LOOP_ID.match(loop) else None)
            return
        if seg_id == "ISA":
            self.icn, self.gcn, self.scn = seg.get_value("ISA13"), None, None
        elif seg_id == "GS":
            self.gcn, self.scn = seg.get_value("GS06"), None
        elif seg_id == "ST":
            self.scn = seg.get_value("ST02")
        if node is None or getattr(node, "id", None) != seg_id:
            return
        _ok, errors = node.is_valid_errors(seg)
        line = src.get_cur_line()
        for e in errors:
            code = PYX12_ELEMENT_CODES.get(str(e.err_cde), "ig-element-error")
            spec = VALIDATION_CODES[code]
            mnode = e.map_node
            element = component = None
            if mnode is not None:
                if mnode.parent is not None and mnode.parent.is_composite():
                    element, component = mnode.parent.seq, mnode.seq
                else:
                    element = mnode.seq
            loc = Location(file=self.name, segment=line, segment_id=seg_id, element=element,
                           component=component, interchange=self.icn, group=self.gcn,
                           transaction_set=self.scn if seg_id in ("ST", "SE") else None)
            self.findings.append(Finding(code, spec.summary, loc, spec.severity,
                                         spec.snip_level))


def _vriic(message: str) -> str:
    return message.rsplit("vriic=", 1)[-1].strip() if "vriic=" in message else ""


def _engine_failure(name: str | None, kind: str) -> Pyx12Result:
    spec = VALIDATION_CODES["ig-engine-failure"]
    f = Finding(spec.code, f"{spec.summary} ({kind})", Location(file=name), spec.severity,
                spec.snip_level)
    return Pyx12Result(None, [f], [])


_ENVELOPE_NOTE = {
    # pyx12 ISA (TA1) / GS (AK9) / ST (IK5) codes -> our envelope codes
    ("isa", "001"): "iea-control-mismatch", ("isa", "021"): "iea-count-mismatch",
    ("isa", "023"): "iea-missing", ("isa", "024"): "segment-outside-set",
    ("isa", "025"): "isa-duplicate-control",
    ("gs", "3"): "ge-missing", ("gs", "4"): "ge-control-mismatch",
    ("gs", "5"): "ge-count-mismatch", ("gs", "6"): "gs-duplicate-control",
    ("st", "2"): "se-missing", ("st", "3"): "se-control-mismatch",
    ("st", "4"): "se-count-mismatch", ("st", "23"): "st-duplicate-control",
}
"""Envelope errors pyx12 also reports; our envelope reader owns them (kept only where it
did not report the same code in the same envelope)."""


def envelope_equivalent(level: str, code: str) -> str | None:
    return _ENVELOPE_NOTE.get((level, code))


def _translate(doc: dict[str, Any], name: str | None,
               loops: _Pyx12Callback) -> Iterator[Finding]:
    for isa in doc.get("interchanges", []):
        icn = str(isa.get("isa_trn_set_id") or "") or None
        for err in isa.get("errors", []):
            yield _envelope(name, "isa", err, icn, None, None, isa.get("cur_line"))
        for gs in isa.get("groups", []):
            gcn = str(gs.get("gs_control_num") or "") or None
            for err in gs.get("errors", []):
                yield _envelope(name, "gs", err, icn, gcn, None, gs.get("cur_line"))
            for st in gs.get("transactions", []):
                scn = str(st.get("trn_set_control_num") or "") or None
                for err in st.get("errors", []):
                    yield _envelope(name, "st", err, icn, gcn, scn, st.get("cur_line"))
                for seg in st.get("segments", []):
                    yield from _segment(name, seg, icn, gcn, scn, loops)


def _envelope(name: str | None, level: str, err: dict[str, Any], icn: str | None,
              gcn: str | None, scn: str | None, line: Any) -> Finding:
    code = str(err.get("err_cde", ""))
    ours = envelope_equivalent(level, code)
    from claimhouse.x12 import ENVELOPE_CODES

    if ours is not None:
        spec = ENVELOPE_CODES[ours]
        message = spec.summary
    else:
        spec = VALIDATION_CODES["ig-segment-element-errors"]
        message = f"pyx12 reports {level.upper()}-level error {code}."
    loc = Location(file=name, segment=line if isinstance(line, int) else None,
                   interchange=icn, group=gcn, transaction_set=scn)
    return Finding(spec.code, message, loc, spec.severity, spec.snip_level)


def _segment(name: str | None, seg: dict[str, Any], icn: str | None, gcn: str | None,
             scn: str | None, loops: _Pyx12Callback) -> Iterator[Finding]:
    seg_id = str(seg.get("seg_id") or "") or None
    line = seg.get("cur_line")
    pos = seg.get("seg_count")
    base = Location(file=name, segment=line if isinstance(line, int) else None,
                    segment_id=seg_id, interchange=icn, group=gcn, transaction_set=scn,
                    set_segment=pos if isinstance(pos, int) else None,
                    loop=loops.loop_at(line if isinstance(line, int) else None))
    for err in seg.get("errors", []):
        code = PYX12_SEGMENT_CODES.get(str(err.get("err_cde")), "ig-segment-element-errors")
        spec = VALIDATION_CODES[code]
        yield Finding(code, spec.summary, base, spec.severity, spec.snip_level)
    for ele in seg.get("elements", []):
        for err in ele.get("errors", []):
            code = PYX12_ELEMENT_CODES.get(str(err.get("err_cde")), "ig-element-error")
            spec = VALIDATION_CODES[code]
            sub = ele.get("subele_pos")
            loc = Location(file=base.file, segment=base.segment, segment_id=seg_id,
                           element=ele.get("ele_pos"),
                           component=sub if isinstance(sub, int) else None,
                           interchange=icn, group=gcn, transaction_set=scn,
                           set_segment=base.set_segment, loop=base.loop)
            ref = ele.get("ele_ref_num")
            message = spec.summary + (f" (data element {ref})" if ref else "")
            yield Finding(code, message, loc, spec.severity, spec.snip_level)
