"""Run real pyx12 validation over bytes (test helper): accepted or not, and the error codes."""

from __future__ import annotations

import io
import json
import logging

import pyx12.params
import pyx12.x12n_document


def pyx12_errors(data: bytes, map_path: str | None = None) -> tuple[bool | None, list[str]]:
    """pyx12's verdict for an interchange, with its error descriptions (for messages);
    None when pyx12 cannot judge it (no map for its GS08, or pyx12 itself fails).
    Errors pyx12 logs without putting them in its JSON (e.g. GS element lengths) only show
    in the verdict."""
    logger = logging.getLogger("pyx12")
    saved = logger.disabled
    logger.disabled = True
    try:
        out_json = io.StringIO()
        try:
            ok = pyx12.x12n_document.x12n_document(
                pyx12.params.params(), io.StringIO(data.decode("latin-1")), None, None, None,
                out_json, map_path=map_path)
        except Exception:  # pyx12 raises on unknown maps and crashes on some inputs
            return None, []
    finally:
        logger.disabled = saved
    text = out_json.getvalue()
    errors: list[str] = []
    if text:
        doc = json.loads(text)
        _collect(doc, errors)
    return bool(ok), errors


def _collect(node: object, errors: list[str]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "errors" and isinstance(v, list):
                errors.extend(json.dumps(e, sort_keys=True) for e in v)
            else:
                _collect(v, errors)
    elif isinstance(node, list):
        for v in node:
            _collect(v, errors)
