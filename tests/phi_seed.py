"""Recognisable fake PHI seeded into 837s and 835s written by our own writers, broken
variants of them (one per layer that can complain), and a scanner that finds any of the
PHI strings in text.

Every PHI value is a string that appears nowhere else in claimhouse's outputs: a leak is
any occurrence, case-insensitive, in a log line, an exception message, an operator
report, an acknowledgment, a reject reason or a batch journal row.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from claimhouse.models import Address, Diagnosis
from claimhouse.testing._workload import CASES, Workload, generate_workload
from claimhouse.testing._workload_files import write_workload

LAST = "QQQPHI"  # each patient's last name is QQQPHI + letters
FIRST = "ZYXWVUT"
MEMBER = "PHIMEMBER9931"  # member ids PHIMEMBER9931000, ...001, ...
STREET = "77 PHIADDRLANE"
CITY = "PHICITYVILLE"
DOB = date(1931, 2, 3)
DX = "T7432XA"  # a billable ICD-10-CM code, used for no other claim in the tests

PHI_TOKENS = (LAST, FIRST, MEMBER, "PHIADDRLANE", CITY, "19310203", "1931-02-03",
              "02/03/1931", DX, "T74.32XA",
              # values only the broken variants carry
              "19310231", "QPHIDXZ99", "PHIJSONNAME", "PHIJSONMEMBER")
_PATTERN = re.compile("|".join(re.escape(t) for t in PHI_TOKENS), re.IGNORECASE)


def leaks(text: str | bytes, *, allowed: tuple[str, ...] = ()) -> list[str]:
    """The PHI strings found in ``text`` (with a little context each), but ``allowed``."""
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    ok = tuple(a.upper() for a in allowed)
    return [text[max(0, m.start() - 30):m.end() + 30] for m in _PATTERN.finditer(text)
            if not (ok and m.group(0).upper().startswith(ok))]


def _letters(i: int) -> str:
    return "".join("ABCDEFGHIJKLMNOPQRSTUVWXYZ"[int(d)] for d in f"{i:03d}")


def seed_workload(n: int | None = None) -> Workload:
    """The synthetic workload (claims + matching 835s) with PHI in every patient field."""
    work = generate_workload(n or len(CASES))
    by_member = {}
    for i, claim in enumerate(work.claims):
        s = claim.subscriber
        old = s.member_id
        s.last_name, s.first_name = LAST + _letters(i), FIRST
        s.member_id = f"{MEMBER}{i:03d}"
        s.address = Address(STREET, city=CITY, state="IL", postal_code="627010002")
        s.birth_date = DOB
        claim.diagnoses = [Diagnosis(DX)]
        by_member[old] = s
    for remittance in work.remittances:
        for cp in remittance.claims():
            if cp.patient is not None and cp.patient.identifier in by_member:
                s = by_member[cp.patient.identifier]
                cp.patient.last_name, cp.patient.first_name = s.last_name, s.first_name
                cp.patient.identifier = s.member_id
    return work


@dataclass(slots=True)
class PhiFiles:
    good_837: list[Path]
    good_835: list[Path]
    broken: dict[str, Path]
    """name -> broken variant (what it breaks is in the name)."""
    claims_json_bad: list[Path]
    """Claim JSON with PHI that the model (bad date) or the writer (a delimiter in a
    member id) rejects."""
    claims_json_valid: Path
    """Guide-valid claim JSON with PHI (accepted: a 999 AK9*A and a 277CA)."""


def _sub(data: bytes, old: bytes, new: bytes, count: int = 1) -> bytes:
    assert old in data, old
    return data.replace(old, new, count)


def _seg(data: bytes, prefix: bytes) -> bytes:
    """The first whole segment (without ``~``) starting with ``prefix``."""
    start = data.index(prefix)
    return data[start:data.index(b"~", start)]


def write_phi_files(folder: Path) -> PhiFiles:
    folder.mkdir(parents=True, exist_ok=True)
    files = write_workload(seed_workload(), folder / "good")
    c = files.claims[0].read_bytes()
    r = files.remittances[0].read_bytes()
    nm1 = _seg(c, b"NM1*IL*")
    clm = _seg(c, b"CLM*")
    clp = _seg(r, b"CLP*")
    qc = _seg(r, b"NM1*QC*")
    long_name = (LAST + "X") * 12  # NM103 max 60: an element-length error on the name
    broken = {
        # level 2: bad code beside the name, over-long name, too many elements
        "837-name-element.837": _sub(c, nm1, nm1.replace(b"*MI*", b"*Q9*").replace(
            b"*" + LAST.encode(), b"*" + long_name.encode())),
        "837-extra-elements.837": _sub(c, nm1, nm1 + b"*" + MEMBER.encode() + b"X*" +
                                       LAST.encode() + b"EXTRA"),
        # level 1/2: impossible date of birth
        "837-bad-dob.837": _sub(c, b"DMG*D8*19310203", b"DMG*D8*19310231"),
        # level 5: a diagnosis that is no ICD-10-CM code (PHI-ish value in the finding)
        "837-bad-dx.837": _sub(c, b"HI*ABK:" + DX.encode(), b"HI*ABK:QPHIDXZ99"),
        # balancing: CLM02 is not the sum of the lines
        "837-unbalanced.837": _sub(c, clm, clm.replace(clm.split(b"*")[2], b"1.23")),
        # envelope: IEA02 mismatch and a wrong SE01 (TA1 / 999 rejects)
        "837-bad-envelope.837": _sub(_sub(c, b"IEA*1*000001001", b"IEA*1*000009999"),
                                     b"SE*", b"SE*9"),
        # a file cut in the middle of the subscriber's name (no SE/GE/IEA)
        "837-truncated.837": c[:c.index(nm1) + len(nm1) - 4],
        # non-ASCII bytes inside the name
        "837-non-ascii.837": _sub(c, b"*" + LAST.encode(), b"*" + LAST.encode() + b"\xc3\x84"),
        # 835: CLP04 no longer adds up to BPR02 / the lines
        "835-unbalanced.835": _sub(r, clp, clp.replace(clp.split(b"*")[4], b"1.23")),
        "835-patient-element.835": _sub(r, qc, qc.replace(b"*MI*", b"*ZZ*").replace(
            b"*" + LAST.encode(), b"*" + long_name.encode())),
        "835-bad-dates.835": _sub(r, _seg(r, b"DTM*405*"), b"DTM*405*19310231"),
        "835-bad-envelope.835": _sub(r, b"GE*1*", b"GE*7*"),
    }
    out = {}
    for name, data in broken.items():
        p = folder / "broken" / name
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(data)
        out[name] = p
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "json"
    bad_json = []
    for tag, fields in (("bad-date", {"last_name": "PHIJSONNAME", "birth_date": "1931-02-31"}),
                        ("delimiter", {"last_name": "PHIJSONNAME",
                                       "member_id": "PHIJSONMEMBER*~X"})):
        doc = json.loads((fixtures / "claims-professional.json").read_text())
        doc["claims"][0]["subscriber"].update(fields)
        p = folder / f"claims-phi-{tag}.json"
        p.write_text(json.dumps(doc))
        bad_json.append(p)
    valid = folder / "claims-phi-valid.json"
    valid.write_text(json.dumps(valid_claims_json(fixtures / "claims-professional.json")))
    return PhiFiles(files.claims, files.remittances, out, bad_json, valid)


NAME_TOKENS = (LAST, FIRST, MEMBER)
"""What a 277CA may carry: its 2100D NM1 names the patient and member id (X214 requires
it; it goes back to the submitter, who sent them). No DOB, address or diagnosis."""


def valid_claims_json(source: Path) -> dict[str, object]:
    """The fixture claim JSON with PHI in every patient field of every claim: a file that
    passes validation, so its 999 accepts and a 277CA is written."""
    doc: dict[str, object] = json.loads(source.read_text())
    claims = doc["claims"]
    assert isinstance(claims, list)
    for i, claim in enumerate(claims):
        sub = claim["subscriber"]
        sub.update(last_name=LAST + _letters(500 + i), first_name=FIRST,
                   member_id=f"{MEMBER}{500 + i}", birth_date=DOB.isoformat())
        sub["address"] = {"line1": STREET, "city": CITY, "state": "IL",
                          "postal_code": "62704"}
        if claim.get("patient"):
            claim["patient"].update(last_name=LAST + _letters(600 + i), first_name=FIRST,
                                    birth_date=DOB.isoformat())
            claim["patient"]["address"] = sub["address"]
        claim["diagnoses"] = [{"qualifier": "ABK", "code": DX}, *claim["diagnoses"][1:]]
    return doc
