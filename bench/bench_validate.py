"""Validation throughput (MB/s) at SNIP levels 1, 1-2 and 1-5 on a generated ~10 MB 837P
and 835, beside pyx12's x12n_document on the same bytes in the same run.

Level 2 is pyx12 itself (the adapter adds no measurable time); what claimhouse adds is
levels 1 and 3-5, one streaming pass. ``ours_only_time_vs_pyx12`` = time of that pass
(best of 3) / pyx12's time: the share our levels add to pyx12's level-2 time (target
<= 0.20). ``ours_overhead_vs_pyx12`` = (time 1-5 - time pyx12) / time pyx12 from single
runs of minutes each, so it carries the noise of a shared machine.
"""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path
from typing import Any

from _common import best_of

from claimhouse.validate import validate_file

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.validate_samples import sample_835, sample_837p  # noqa: E402

TARGET = 10_000_000


def generate_837p(target: int = TARGET) -> bytes:
    """Generated 837P sets of 500 claims each (valid at levels 1-5) up to ~target bytes."""
    one = len(sample_837p(claims=500))
    return sample_837p(claims=500, sets=max(1, round(target / one)))


def generate_835(target: int = TARGET) -> bytes:
    """One generated 835 set of ~target bytes (balanced, valid at levels 1-5)."""
    per = len(sample_835(payments=100)) / 100
    return sample_835(payments=max(1, int(target / per)))


def _pyx12(data: bytes) -> bool:
    import pyx12.params
    import pyx12.x12n_document

    logging.getLogger("pyx12").setLevel(logging.CRITICAL + 1)
    return bool(pyx12.x12n_document.x12n_document(
        pyx12.params.params(), io.StringIO(data.decode("latin-1")), None, None))


def _measure(name: str, data: bytes) -> dict[str, Any]:
    mb = len(data) / 1e6
    t_pyx12 = best_of(lambda: _pyx12(data), repeat=1)
    t1 = best_of(lambda: validate_file(data, 1), repeat=3)
    t2 = best_of(lambda: validate_file(data, 2), repeat=1)
    t5 = best_of(lambda: validate_file(data, 5), repeat=1)
    t35 = best_of(lambda: validate_file(data, 5, use_pyx12=False), repeat=3)
    return {
        "file": name, "file_mb": round(mb, 2),
        "pyx12_mb_s": round(mb / t_pyx12, 3),
        "level1_mb_s": round(mb / t1, 2),
        "level1_2_mb_s": round(mb / t2, 3),
        "level1_5_mb_s": round(mb / t5, 3),
        "ours_only_1_3_4_5_mb_s": round(mb / t35, 2),
        "ours_overhead_vs_pyx12": round((t5 - t_pyx12) / t_pyx12, 3),
        "ours_only_time_vs_pyx12": round(t35 / t_pyx12, 3),
    }


def run() -> dict[str, Any]:
    p837 = generate_837p()
    p835 = generate_835()
    results = [_measure("837P", p837), _measure("835", p835)]
    for r in results:
        print("  " + ", ".join(f"{k}={v}" for k, v in r.items()), flush=True)
    return {"results": results}


if __name__ == "__main__":
    run()
