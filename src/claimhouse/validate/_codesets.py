"""SNIP level 5 code sets: ICD-10-CM, HCPCS Level II and CPT formats, modifiers, NDC,
place of service, CARC and RARC.

ICD-10-CM comes from the maintained ``simple-icd-10-cm`` package (imported lazily: it
loads the whole code set). CPT codes are checked for format only — CPT descriptions are
licensed and none ship here. The place-of-service list is the CMS list, shipped as
``claimhouse/data/place_of_service.tsv``.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

from claimhouse.codes import known_carc_codes, known_rarc_codes

_CPT = re.compile(r"^(?:\d{5}|\d{4}[FTU])$")
_HCPCS = re.compile(r"^[A-V]\d{4}$")
_MODIFIER = re.compile(r"^[A-Z0-9]{2}$")
_NDC = re.compile(r"^\d{11}$")
_CARC = re.compile(r"^[A-Z]?\d{1,3}$|^[A-Z]\d?$")
_RARC = re.compile(r"^[A-Z]{1,2}\d{1,3}$")

ICD10_DIAGNOSIS_QUALIFIERS = frozenset({"ABK", "ABF", "ABJ", "APR", "ABN"})
"""HI qualifiers that carry ICD-10-CM diagnosis codes (principal, other, admitting,
patient's reason for visit, external cause of injury)."""


@cache
def _icd() -> Any:
    import simple_icd_10_cm  # type: ignore[import-untyped]

    return simple_icd_10_cm


@lru_cache(maxsize=1 << 16)
def icd10_status(code: str) -> str | None:
    """None when ``code`` is a billable ICD-10-CM code, else the finding code."""
    icd = _icd()
    if not icd.is_valid_item(code):
        return "icd10-unknown"
    if not icd.is_leaf(code):
        return "icd10-not-billable"
    return None


def procedure_status(code: str) -> str | None:
    """Format check for an HC-qualified procedure code (CPT or HCPCS Level II)."""
    if not code:
        return None
    if code[0].isalpha():
        return None if _HCPCS.match(code) else "hcpcs-format"
    return None if _CPT.match(code) else "cpt-format"


def modifier_ok(code: str) -> bool:
    return bool(_MODIFIER.match(code))


def ndc_ok(code: str) -> bool:
    return bool(_NDC.match(code))


def is_j_code(code: str) -> bool:
    """A HCPCS J-code (drugs administered other than oral method)."""
    return len(code) == 5 and code[0] == "J" and code[1:].isdigit()


@cache
def place_of_service_codes() -> frozenset[str]:
    text = files("claimhouse").joinpath("data", "place_of_service.tsv").read_text("utf-8")
    return frozenset(line.split("\t", 1)[0] for line in text.splitlines()
                     if line and not line.startswith("#"))


def pos_ok(code: str) -> bool:
    return code in place_of_service_codes()


def carc_ok(code: str) -> bool:
    """Whether ``code`` can be a claim adjustment reason code: on the project's CARC list
    (``claimhouse.codes``, a partial list: absence is not an error), or CARC-shaped."""
    return code in known_carc_codes() or bool(_CARC.match(code))


def rarc_ok(code: str) -> bool:
    """Whether ``code`` can be a remark code: listed, or RARC-shaped (e.g. M15, N130)."""
    return code in known_rarc_codes() or bool(_RARC.match(code))
