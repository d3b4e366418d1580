"""Reading XML safely: the one lxml parser configuration claimhouse uses.

Every XML file claimhouse reads (the transaction definitions and pyx12-format maps under
``maps/``, pyx12's ``maps.xml`` index, ``pyx12-corrections.xml``) goes through
:func:`parse_xml`: entities are never expanded (``resolve_entities=False``), no DTD is
loaded (``load_dtd=False``), nothing is fetched from the network (``no_network=True``)
and libxml2's size limits stay on (``huge_tree=False``). A document that declares a
DOCTYPE at all is refused: none of our XML needs one, and a DOCTYPE is how external
entities (XXE) and entity-expansion bombs get in.

pyx12 reads its maps itself with ``defusedxml`` (no entity expansion either).
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from claimhouse.errors import DefinitionError

__all__ = ["parse_xml", "safe_parser"]


def safe_parser(*, remove_comments: bool = False) -> etree.XMLParser:
    """A parser that expands no entity, loads no DTD and never touches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=remove_comments,
    )


def parse_xml(path: str | Path, *, remove_comments: bool = False) -> etree._ElementTree:
    """Parse the XML file at ``path`` with :func:`safe_parser`; a file that cannot be read,
    is not well-formed or carries a DOCTYPE raises :class:`DefinitionError`."""
    try:
        tree = etree.parse(str(path), safe_parser(remove_comments=remove_comments))
    except (OSError, etree.XMLSyntaxError) as exc:
        raise DefinitionError(f"{path}: cannot read the XML ({exc})") from None
    info = tree.docinfo
    if getattr(info, "doctype", "") or info.internalDTD is not None or info.externalDTD is not None:
        raise DefinitionError(f"{path}: a DOCTYPE (DTD or entity declarations) is not "
                              "allowed in claimhouse XML")
    return tree
