"""`python -m claimhouse.selfcheck`: verify an installed claimhouse has its package data.

Run by CI against the built wheel in a fresh virtual environment, so a release that lost
its maps or code lists fails before it ships.
"""

from __future__ import annotations

import sys
from importlib import resources


def missing_package_data() -> list[str]:
    """Names of required package-data files that are absent from the installed package."""
    root = resources.files("claimhouse")
    required = ["py.typed"]
    maps = root / "maps"
    if maps.is_dir():
        required += [f"maps/{p.name}" for p in maps.iterdir() if p.name.endswith(".xml")]
    return [name for name in required if not (root / name).is_file()]


def main() -> int:
    missing = missing_package_data()
    for name in missing:
        print(f"missing package data: {name}", file=sys.stderr)
    if not missing:
        print("claimhouse package data: ok")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
