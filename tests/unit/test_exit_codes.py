"""The README's exit-status table, row by row and command by command, against the real CLI.

Every row of the table must have a scenario here and every scenario a row, so the table cannot
drift from what the commands do.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tui.cli import SAMPLES, main

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
FIXTURES = REPO / "tests" / "fixtures"
HF_JSON = SAMPLES / "hf-api-2026-11-19.json"


def table() -> list[tuple[str, str, int]]:
    """(command, situation, exit) for every command of every row of the README's table."""
    block = README.split("**Exit status**", 1)[1].split("\n\n", 2)[1]
    rows = []
    for line in block.splitlines()[2:]:
        commands, situation, code = (cell.strip() for cell in line.strip("|").split("|"))
        for command in re.findall(r"`([^`]+)`", commands):
            rows.append((command, situation, int(code)))
    return rows


Scenario = Callable[[str, Path], list[list[str]]]  # (command, tmp) -> argv lists, each must give the row's exit


def _argv(command: str) -> list[str]:
    return [] if command == "papertray" else command.split()


def all_read(command: str, tmp: Path) -> list[list[str]]:
    return [[command, str(SAMPLES)], [command, "--json", str(SAMPLES)]]


def damaged(command: str, tmp: Path) -> list[list[str]]:
    return [[command, str(FIXTURES / "arxiv_xml" / "truncated.xml"), str(HF_JSON)],
            [command, "--json", str(FIXTURES / "hf_json" / "truncated.json")]]


def no_digest(command: str, tmp: Path) -> list[list[str]]:
    (tmp / "empty").mkdir(exist_ok=True)
    (tmp / "notes").mkdir(exist_ok=True)
    (tmp / "notes" / "README").write_text("not a digest\n")
    return [[command, *json_flag, spec] for json_flag in ([], ["--json"])
            for spec in (str(tmp / "empty"), str(tmp / "notes"), str(tmp / "nothing-*.json"))]


def missing_path(command: str, tmp: Path) -> list[list[str]]:
    bogus = str(tmp / "bogus.txt")
    if command == "queue add --digests":
        return [["queue", "add", "2611.14021", "--digests", bogus]]
    return [[*_argv(command), bogus], [*_argv(command), str(SAMPLES), bogus]]


def id_not_found(command: str, tmp: Path) -> list[list[str]]:
    if command == "queue add":
        return [["queue", "add", "9999.99999", "--digests", str(SAMPLES)]]
    if command == "queue move":
        return [["queue", "move", "9999.99999", "1"]]
    return [[*command.split(), "9999.99999"]]


def bad_position(command: str, tmp: Path) -> list[list[str]]:
    assert main(["queue", "add", "2611.14021", "--digests", str(SAMPLES)]) == 0
    return [["queue", "move", "2611.14021", "7"], ["queue", "move", "2611.14021", "0"]]


def bad_config(command: str, tmp: Path) -> list[list[str]]:
    config = tmp / "bad.toml"
    config.write_text("[digests]\nmax_file_mb = 1e308\n")
    return [["--config", str(config), *_argv(command), *([str(SAMPLES)] if command in ("check", "list", "papertray") else [])]]


def bad_or_missing_config(command: str, tmp: Path) -> list[list[str]]:
    missing = ["--config", str(tmp / "no-such-config.toml"), *_argv(command)]
    return [*bad_config(command, tmp), [*missing, *([str(SAMPLES)] if command in ("check", "list", "papertray") else [])]]


def bad_query(command: str, tmp: Path) -> list[list[str]]:
    return [[*_argv(command), str(SAMPLES), "--query", "kind:zzz"], [*_argv(command), str(SAMPLES), "--query", "after:soon"]]


def bad_usage(command: str, tmp: Path) -> list[list[str]]:
    return [[*_argv(command), "--no-such-option"]]


def success(command: str, tmp: Path) -> list[list[str]]:
    if command == "queue add":
        return [["queue", "add", "2611.14021", "--digests", str(SAMPLES)]]
    return [command.split()]


def not_written(command: str, tmp: Path) -> list[list[str]]:
    data = tmp / "data"
    data.write_text("a file where the data folder should be\n")  # every write there fails
    if command == "queue":
        return [["queue", "add", "2611.14021", "--digests", str(SAMPLES)]]
    return [["mark", "read", "2611.14021"]]


def export_not_written(command: str, tmp: Path) -> list[list[str]]:
    assert main(["queue", "add", "2611.14021", "--digests", str(SAMPLES)]) == 0
    return [["queue", "export", "--format", "bibtex", "-o", str(tmp / "no-such-folder" / "refs.bib")]]


def source_failed(command: str, tmp: Path) -> list[list[str]]:
    config = tmp / "offline.toml"
    config.write_text(
        f'[fetch]\ndir = "{tmp / "digests"}"\nhf_base_url = "http://127.0.0.1:9"\nretries = 0\ntimeout = 2.0\n'
    )
    return [["--config", str(config), "fetch", "--source", "hf"]]


SCENARIOS: dict[str, Scenario] = {
    "every file read, no error (warnings are fine)": all_read,
    "a file has an error, even if some of its papers were read (`check` shows it `damaged`, "
    "`list` prints the papers it could read)": damaged,
    "a folder or glob with no digest in it (human and `--json` output alike)": no_digest,
    "a path that does not exist": missing_path,
    "an id not found (in the digests, or in the queue)": id_not_found,
    "a position outside the queue": bad_position,
    "bad configuration (the reader is not opened), or a `--config` file that does not exist": bad_or_missing_config,
    "a `--query` filter that cannot be read (an unknown `kind:`, a bad date…)": bad_query,
    "bad usage (an unknown option or command)": bad_usage,
    "success": success,
    "a change could not be written (the message names the cause; nothing was changed)": not_written,
    "the file could not be written (the previous file is left whole)": export_not_written,
    "a source failed (one line per source; nothing half-written)": source_failed,
}


def run(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        return int(exc.code or 0)


def test_every_row_has_a_scenario_and_every_scenario_a_row() -> None:
    assert {situation for _c, situation, _e in table()} == set(SCENARIOS)


@pytest.mark.parametrize(("command", "situation", "code"), table(), ids=lambda v: str(v)[:40])
def test_exit_status_is_as_the_readme_says(command: str, situation: str, code: int, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.reader.app

    monkeypatch.setattr(tui.reader.app, "PapertrayApp", lambda *a, **k: pytest.fail("the reader opened"))
    monkeypatch.setenv("PAPERTRAY_DATA_DIR", str(tmp_path / "data"))
    for argv in SCENARIOS[situation](command, tmp_path):
        capsys.readouterr()
        assert run(argv) == code, argv
        out, err = capsys.readouterr()
        if situation.startswith("a file has an error") and "--json" not in argv:
            if command == "check":
                assert "damaged" in out and "truncated.xml" in out
            else:  # the salvaged papers are listed, the damage is said
                assert len(out.splitlines()) == 2 + 8 and "damaged (2 papers salvaged)" in err
        if situation.startswith("a file has an error") and "--json" in argv and command == "check":
            assert json.loads(out)["ok"] is False and json.loads(out)["papers"] == 2
        if situation.startswith("a folder or glob"):
            assert "no digest files found" in err
