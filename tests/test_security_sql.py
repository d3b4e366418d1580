"""SQL only through bound parameters: no SQL text in src/ is built by interpolating a
value (f-string, ``%``, ``+``, ``.format``). Interpolating identifiers from our own schema
(table and column names), placeholders, and integers forced through ``int()`` is allowed,
each listed below with why; anything else fails, and so does a stale allowlist entry.

A string counts as SQL when its literal text starts with a SQL verb (SELECT, INSERT,
UPDATE, DELETE, COPY, TRUNCATE, DROP, CREATE, ALTER, ANALYZE, WITH, PRAGMA, ...) or holds
FROM / WHERE / VALUES / INTO; that also catches SQL built into a variable first and passed
to ``text()`` / ``exec_driver_sql()`` / ``cursor.execute()`` later.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "claimhouse"
_SQL = re.compile(r"^\s*\(?\s*(SELECT|INSERT|UPDATE|DELETE|COPY|TRUNCATE|DROP|CREATE|ALTER|"
                  r"ANALYZE|WITH|PRAGMA|SET|LOCK|VACUUM|GRANT)\b|\b(FROM|WHERE|VALUES|INTO)\b")

_IDENT = "an identifier from our own SQLAlchemy metadata (table/column name), never input"
_INT = "an integer forced through int() (row ids from our own database)"
ALLOWED: dict[tuple[str, str], str] = {
    ("reconcile/_run.py", "id_filter('claim_id', ids)"):
        "id_filter() (reconcile/_views.py) renders only int() values: BETWEEN/IN of ids",
    ("reconcile/_run.py", "codec.true"): "the dialect's boolean literal (TRUE / 1)",
    ("reconcile/_run.py", "codec.false"): "the dialect's boolean literal (FALSE / 0)",
    ("reconcile/_run.py", "', '.join(str(int(i)) for i in ids[start:start + 1000])"): _INT,
    ("reconcile/_views.py", "span"):
        "a WHERE fragment built in the same function from int() values or id_filter()",
    ("reconcile/_views.py", "POSTING_COLUMNS"): "a module constant: a fixed column list",
    ("reconcile/_views.py", "CLAIM_COLUMNS"): "a module constant: a fixed column list",
    ("reconcile/_views.py", "codec.true"): "the dialect's boolean literal (TRUE / 1)",
    ("reconcile/_views.py", "int(after)"): _INT,
    ("reconcile/_views.py", "int(upto)"): _INT,
    ("reconcile/_run.py", "true"): "the dialect's boolean literal (true / 1)",
    ("store/_fork.py", "MMAP_BYTES"): "a module constant: an integer byte count",
    ("store/_bulk.py", "kind"): "fetch_in's array type: the literal 'bigint' or 'text'",
    ("reconcile/_views.py", "id_filter('claim_id', ids)"): "id_filter(): int() values only",
    ("reports/_slim.py", "table.name"): _IDENT + " (ANALYZE takes no parameters)",
    ("store/_bulk.py", "t.name"): _IDENT,
    ("store/_bulk.py", "name"): _IDENT + " (a model's __tablename__)",
    ("store/_bulk.py", "table"): _IDENT + " (COPY ... FROM STDIN: data goes through COPY)",
    ("store/_bulk.py", "temp"): "claimhouse_update_<table name>: " + _IDENT,
    ("store/_bulk.py", "sets"): "'c = v.c' for our column names: " + _IDENT,
    ("store/_bulk.py", "', '.join(columns)"): "column names of our tables: " + _IDENT,
    ("store/_bulk.py", "', '.join(values)"): "column names of our tables (multi-row "
        "INSERT; each value bound to a placeholder): " + _IDENT,
    ("store/_bulk.py", '", ".join(f"{c} {_sql_type(t, c, conn.dialect)}" for c in names)'):
        "column names and SQL types from our metadata (CREATE TEMP TABLE)",
    ("testing/_postgres.py", "name"):
        "a throwaway test database name made of the pid, a counter and the clock",
}


def _literal(node: ast.AST) -> str:
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values
                       if isinstance(v, ast.Constant) and isinstance(v.value, str))
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        return _literal(node.left) + _literal(node.right)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr == "format":
        return _literal(node.func.value)
    return ""


def _interpolated(node: ast.AST, src: str) -> list[str] | None:
    """The source of every value put into the string, or None when nothing is."""
    if isinstance(node, ast.JoinedStr):
        out = [ast.get_source_segment(src, v.value) or "?" for v in node.values
               if isinstance(v, ast.FormattedValue)]
        return out or None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return [ast.get_source_segment(src, node.right) or "?"]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        out = []
        for side in (node.left, node.right):
            if isinstance(side, ast.Constant):
                continue
            inner = _interpolated(side, src) if isinstance(side, (ast.JoinedStr, ast.BinOp)) \
                else [ast.get_source_segment(src, side) or "?"]
            out += inner or []
        return out or None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr == "format":
        return [ast.get_source_segment(src, a) or "?" for a in node.args] + [
            ast.get_source_segment(src, k.value) or "?" for k in node.keywords]
    return None


def scan(root: Path) -> set[tuple[str, str, int]]:
    """(file, interpolated expression, line) for every value put into SQL text."""
    found: set[tuple[str, str, int]] = set()
    for py in sorted(root.rglob("*.py")):
        src = py.read_text()
        for node in ast.walk(ast.parse(src)):
            if not isinstance(node, (ast.JoinedStr, ast.BinOp, ast.Call)):
                continue
            values = _interpolated(node, src)
            if values and _SQL.search(_literal(node)):
                rel = py.relative_to(root).as_posix()
                found.update((rel, v, getattr(node, "lineno", 0)) for v in values)
    return found


@functools.cache
def _src_found() -> frozenset[tuple[str, str, int]]:
    return frozenset(scan(SRC))


def test_sql_text_interpolates_only_allowlisted_identifiers_and_ints() -> None:
    found = _src_found()
    bad = sorted(f"{f}:{line}: {{{expr}}}" for f, expr, line in found
                 if (f, expr) not in ALLOWED)
    assert bad == [], ("SQL built by interpolating values; bind them (text(':x'), "
                       "exec_driver_sql(sql, params)) or justify in ALLOWED:\n" + "\n".join(bad))


def test_allowlist_has_no_stale_entries() -> None:
    used = {(f, expr) for f, expr, _ in _src_found()}
    stale = sorted(k for k in ALLOWED if k not in used)
    # an entry may go stale when its module is rewritten to bind values: then delete it
    assert stale == [], stale


def test_canary_an_interpolated_value_is_caught(tmp_path: Path) -> None:
    """The scanner finds the patterns it forbids, direct and through a variable."""
    (tmp_path / "bad.py").write_text(
        "from sqlalchemy import text\n"
        "def f(conn, pcn, name):\n"
        "    conn.execute(text(f\"SELECT * FROM claims WHERE pcn = '{pcn}'\"))\n"
        "    sql = \"DELETE FROM claims WHERE name = '%s'\" % name\n"
        "    conn.exec_driver_sql(sql)\n"
        "    conn.exec_driver_sql(\"UPDATE claims SET x = 1 WHERE id = \" + name)\n"
        "    conn.execute(text(\"SELECT 1 FROM t WHERE a = {}\".format(pcn)))\n"
        "    conn.execute(text('SELECT * FROM claims WHERE pcn = :pcn'), {'pcn': pcn})\n")
    found = {(expr, line) for _, expr, line in scan(tmp_path)}
    assert found == {("pcn", 3), ("name", 4), ("name", 6), ("pcn", 7)}
