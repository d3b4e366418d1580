"""``claimhouse era``: an 835 as the remittance advice a biller reads (text or HTML).

:func:`write_era` streams the file (one claim at a time, see ``_era_model``) into the text
(``_era_text``) or HTML (``_era_html``) renderer. With a :class:`Masker` the patient names
and member ids are tokens; the patient control number, amounts and codes stay.
"""

from __future__ import annotations

import os
from typing import TextIO

from claimhouse.reports._era_html import write_html
from claimhouse.reports._era_read import EraOutcome, era_parts
from claimhouse.reports._era_text import write_text
from claimhouse.reports._mask import Masker
from claimhouse.x12 import Source

ERA_FORMATS = ("text", "html")


def write_era(source: Source, out: TextIO, *, fmt: str = "text", masker: Masker | None = None,
              name: str | None = None) -> EraOutcome:
    """Render every 835 set of ``source`` to ``out``; returns what reading found."""
    if fmt not in ERA_FORMATS:
        raise ValueError(f"unknown ERA format {fmt!r}")
    outcome = EraOutcome()
    parts = era_parts(source, outcome, masker=masker, name=name)
    if fmt == "text":
        write_text(parts, out)
    else:
        label = name or (os.path.basename(os.fspath(source))
                         if isinstance(source, (str, os.PathLike)) else "835")
        write_html(parts, out, title="Remittance advice",
                   subtitle=f"{label} \u00b7 claimhouse era",
                   masked=masker is not None and masker.enabled)
    return outcome
