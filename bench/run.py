"""`make bench`: every benchmark, or the ones named on the command line.

Each benchmark reports throughput as a ratio to baselines measured in the same run (a
plain split on delimiters, and pyx12 where it applies). Results are printed and written
to bench/out/<name>.json.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_835
import bench_837
import bench_batch
import bench_report
import bench_store
import bench_tokenizer
import bench_validate

# Explicit list: add one line per benchmark module (name -> run function).
BENCHES: dict[str, Callable[[], dict[str, Any]]] = {
    "tokenizer": bench_tokenizer.run,
    "batch": bench_batch.run,
    "835": bench_835.run,
    "837": bench_837.run,
    "validate": bench_validate.run,
    "store": bench_store.run,
    "report_html": bench_report.run,
}


def main(argv: list[str]) -> int:
    names = argv or list(BENCHES)
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    for name in names:
        if name not in BENCHES:
            print(f"unknown benchmark {name!r}; known: {', '.join(BENCHES)}", file=sys.stderr)
            return 2
        print(f"== {name}", flush=True)
        result = BENCHES[name]()
        (out / f"{name}.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
