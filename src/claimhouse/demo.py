"""`make demo`: the main job on built-in sample data with the embedded default database.

Each issue grows it; today it inspects the bundled fixtures' envelopes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from claimhouse.inspect import format_inspection, inspect_file

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="claimhouse.demo")
    ap.add_argument("--out", default="demo-output", help="folder for the demo's outputs")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    files = sorted((FIXTURES / "x12").glob("*.x12"))
    print(f"claimhouse demo: {len(files)} bundled X12 file(s)\n")
    for f in files:
        print(format_inspection(inspect_file(f, name=f.name)))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
