"""XXE: every XML claimhouse reads goes through claimhouse._xml (no entity expansion, no
DTD, no network, a DOCTYPE refused). Each protection has a canary test proving the check
would catch its removal."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from lxml import etree

from claimhouse import _xml
from claimhouse.errors import DefinitionError
from claimhouse.models import Remittance
from claimhouse.transactions._engine_def import load_definition
from claimhouse.validate import _pyx12

SECRET = "XXE-SECRET-7f3a91-local-file"
MAPS = Path(__file__).resolve().parents[1] / "src" / "claimhouse" / "maps"


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    p = tmp_path / "secret.txt"
    p.write_text(SECRET)
    return p


@pytest.fixture
def http_trap() -> Iterator[tuple[int, list[str]]]:
    """A loopback HTTP server recording every request (the 'network' an entity names)."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            body = SECRET.encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()
        server.server_close()


def _xxe_doc(system_id: str, root: str = "transaction") -> str:
    return (f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n'
            f'  <!ENTITY xxe SYSTEM "{system_id}">\n]>\n'
            f'<{root} id="835" version="005010X221A1"><note>&xxe;</note></{root}>\n')


def _expanded_text(path: Path, parser_factory: Callable[[], etree.XMLParser]) -> str:
    """All text of the document as parsed by ``parser_factory()``."""
    tree = etree.parse(str(path), parser_factory())
    return "".join(tree.getroot().itertext())


# --- the parser configuration ---------------------------------------------------------

def test_safe_parser_does_not_expand_a_local_file_entity(tmp_path: Path,
                                                         secret_file: Path) -> None:
    doc = tmp_path / "xxe.xml"
    doc.write_text(_xxe_doc(secret_file.as_uri()))
    assert SECRET not in _expanded_text(doc, _xml.safe_parser)


def test_canary_a_permissive_parser_is_caught(tmp_path: Path, secret_file: Path) -> None:
    """The check above can fail: with the protection removed (entities resolved, DTD
    loaded, network on — lxml < 5's defaults) the secret file is read into the tree."""
    doc = tmp_path / "xxe.xml"
    doc.write_text(_xxe_doc(secret_file.as_uri()))

    def permissive() -> etree.XMLParser:
        return etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=False)

    assert SECRET in _expanded_text(doc, permissive)


def test_safe_parser_options() -> None:
    """resolve_entities=False keeps even an internal entity unexpanded."""
    p = _xml.safe_parser()
    assert isinstance(p, etree.XMLParser)
    doc = b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY e "internal">]><t>&e;</t>'
    assert b"internal" not in etree.tostring(etree.fromstring(doc, p)).split(b"]>")[-1]


def test_no_network_fetch_for_entity_or_external_dtd(tmp_path: Path,
                                                     http_trap: tuple[int, list[str]]) -> None:
    port, hits = http_trap
    doc = tmp_path / "net.xml"
    doc.write_text(_xxe_doc(f"http://127.0.0.1:{port}/entity"))
    assert SECRET not in _expanded_text(doc, _xml.safe_parser)
    dtd = tmp_path / "dtd.xml"
    dtd.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE t SYSTEM "http://127.0.0.1:{port}/x.dtd">'
                   "\n<t/>\n")
    etree.parse(str(dtd), _xml.safe_parser())
    with pytest.raises(DefinitionError):
        _xml.parse_xml(doc)
    with pytest.raises(DefinitionError):
        _xml.parse_xml(dtd)
    assert hits == []


# --- every reader of XML refuses a DOCTYPE ----------------------------------------------

def test_transaction_definition_with_xxe_is_refused(tmp_path: Path, secret_file: Path) -> None:
    doc = tmp_path / "835.evil.xml"
    doc.write_text(_xxe_doc(secret_file.as_uri()))
    with pytest.raises(DefinitionError) as err:
        load_definition(doc, Remittance)
    assert "DOCTYPE" in str(err.value)
    assert SECRET not in str(err.value)


def test_canary_definition_without_doctype_check_leaks(tmp_path: Path, secret_file: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Remove both protections (permissive parser, DOCTYPE allowed): the file's tree then
    holds the secret and the loader no longer refuses the DOCTYPE, so the test above
    (``"DOCTYPE" in str(err)``) would fail."""
    doc = tmp_path / "835.evil.xml"
    doc.write_text(_xxe_doc(secret_file.as_uri()))

    def unsafe_parse(path: str | Path, *, remove_comments: bool = False) -> etree._ElementTree:
        return etree.parse(str(path), etree.XMLParser(resolve_entities=True, load_dtd=True,
                                                      no_network=False))

    import claimhouse.transactions._engine_def as engine_def
    monkeypatch.setattr(engine_def, "parse_xml", unsafe_parse)
    tree = unsafe_parse(doc)
    assert SECRET in "".join(tree.getroot().itertext())
    with pytest.raises(DefinitionError) as err:
        load_definition(doc, Remittance)
    assert "DOCTYPE" not in str(err.value)


def test_pyx12_corrections_with_xxe_are_refused(tmp_path: Path, secret_file: Path) -> None:
    corrections = tmp_path / "pyx12-corrections.xml"
    corrections.write_text(_xxe_doc(secret_file.as_uri(), root="corrections"))
    with pytest.raises(DefinitionError) as err:
        _pyx12._apply_corrections(tmp_path, corrections)
    assert SECRET not in str(err.value)


@pytest.mark.parametrize("path", sorted(MAPS.glob("*.xml")), ids=lambda p: p.name)
def test_every_shipped_map_parses_safely(path: Path) -> None:
    """The shipped maps need no DOCTYPE or entity, so the strict reader accepts them."""
    tree = _xml.parse_xml(path)
    assert tree.getroot() is not None


def test_no_other_xml_parser_in_src() -> None:
    """Only claimhouse/_xml.py builds an lxml parser or parses a file/string directly."""
    src = Path(__file__).resolve().parents[1] / "src" / "claimhouse"
    offenders = []
    for py in src.rglob("*.py"):
        if py.name == "_xml.py":
            continue
        text = py.read_text()
        for needle in ("etree.parse(", "etree.fromstring(", "etree.XML(", "XMLParser(",
                       "etree.iterparse(", "xml.etree", "xml.dom", "xml.sax"):
            if needle in text:
                offenders.append(f"{py.relative_to(src)}: {needle}")
    assert offenders == []
