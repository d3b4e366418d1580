"""`claimhouse inspect`: exit codes, text and JSON output, help on every command."""

from __future__ import annotations

import json
from pathlib import Path

import click
from click.testing import CliRunner

from claimhouse.cli import cli
from tests.x12_build import build


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    p = tmp_path / name
    p.write_bytes(data)
    return str(p)


def test_clean_file_exits_0(tmp_path: Path) -> None:
    f = _write(tmp_path, "ok.x12", build(2))
    result = CliRunner().invoke(cli, ["inspect", f])
    assert result.exit_code == 0, result.output
    assert "000000007" in result.output and "837 x2" in result.output


def test_findings_exit_1_and_json_lists_them(tmp_path: Path) -> None:
    bad = build(2).replace(b"SE*5*0001", b"SE*9*0001")
    f = _write(tmp_path, "bad.x12", bad)
    result = CliRunner().invoke(cli, ["inspect", "--format", "json", f])
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert [x["code"] for x in doc["findings"]] == ["se-count-mismatch"]
    assert doc["interchanges"][0]["groups"][0]["transaction_set_count"] == 2


def test_not_x12_exits_1_without_traceback(tmp_path: Path) -> None:
    f = _write(tmp_path, "junk.bin", b"\x89PNG\r\n\x1a\n junk")
    result = CliRunner().invoke(cli, ["inspect", f])
    assert result.exit_code == 1
    assert "not-x12" in result.output and "Traceback" not in result.output


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["inspect"]).exit_code == 2
    assert runner.invoke(cli, ["inspect", str(tmp_path / "missing.x12")]).exit_code == 2
    assert runner.invoke(cli, ["inspect", "--format", "xml", "x"]).exit_code == 2


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    ctx = click.Context(group)
    out = []
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        assert cmd is not None, name
        out.append((*prefix, name))
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd, (*prefix, name)))
    return out


def test_every_command_has_help() -> None:
    runner = CliRunner()
    paths = _commands(cli)
    assert len(paths) >= 10 and ("generate", "secondary") in paths
    for path in paths:
        cmd: click.Command | None = cli
        for part in path:
            assert isinstance(cmd, click.Group)
            cmd = cmd.get_command(click.Context(cmd), part)
        assert cmd is not None and cmd.help, f"{' '.join(path)} has no help text"
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, path
