"""The command line: every subcommand, the JSON contracts, exit codes, config handling."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import SAMPLES, main

LIST_KEYS = ["id", "title", "abstract", "authors", "author_count", "organization", "published", "upvotes",
             "categories", "kind", "links", "digests"]
HF_PAGE = (Path(__file__).parent / "test_loader.py").read_text().split('HF_PAGE = """', 1)[1].split('"""', 1)[0]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_samples_all_formats(capsys) -> None:
    code, out, _ = run(capsys, "check", str(SAMPLES), "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert sorted(r["format"] for r in rows) == ["arxiv-atom", "arxiv-email", "hf-json", "hf-text"]
    for r in rows:
        assert {"path", "format", "date", "papers", "diagnostics"} <= set(r)
        assert r["papers"] > 0 and r["diagnostics"] == []


def test_check_human_and_failure_exit_status(tmp_path: Path, capsys) -> None:
    (tmp_path / "2026-11-20.txt").write_text(HF_PAGE)
    (tmp_path / "bad.json").write_text("[{")
    code, out, _ = run(capsys, "check", str(tmp_path / "2026-11-20.txt"), str(tmp_path / "bad.json"))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("ok       hf-text      2026-11-20") and "2 papers" in lines[0]
    assert lines[1].startswith("FAIL     hf-json") and "bad.json" in lines[1]
    assert "error: line 1:" in lines[2]
    assert lines[-1].startswith("2 files: 1 read, 1 failed")
    code, out, _ = run(capsys, "check", str(tmp_path / "bad.json"), "--json")
    row = json.loads(out)
    assert code == 1 and row["format"] == "hf-json" and row["diagnostics"][0]["level"] == "error"


def test_list_json_contract(capsys) -> None:
    code, out, _ = run(capsys, "list", "--json", str(SAMPLES))
    assert code == 0
    objs = [json.loads(line) for line in out.splitlines()]
    assert len(objs) >= 30
    for o in objs:
        assert list(o) == LIST_KEYS
        assert o["kind"] in ("new", "cross-list", "replaced")
        assert isinstance(o["authors"], list) and isinstance(o["links"], dict)
        assert o["digests"] and set(o["digests"][0]) == {"path", "format", "date"}
    lantern = next(o for o in objs if o["id"] == "2611.04211")
    assert lantern["links"]["arxiv"] == "https://arxiv.org/abs/2611.04211"
    assert lantern["digests"][0]["format"] == "arxiv-email"
    code, out, _ = run(capsys, "list", str(SAMPLES))
    assert out.splitlines()[0].count("\t") == 3


def test_paths_from_config_then_samples(tmp_path: Path, capsys, monkeypatch) -> None:
    (tmp_path / "2026-11-20.txt").write_text(HF_PAGE)
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[digests]\npaths = ["{tmp_path}/*.txt"]\n')
    code, out, _ = run(capsys, "list", "--config", str(cfg))
    assert code == 0 and len(out.splitlines()) == 2
    monkeypatch.setenv("PAPERTRAY_CONFIG", str(cfg))
    assert len(run(capsys, "list")[1].splitlines()) == 2
    monkeypatch.setenv("PAPERTRAY_CONFIG", str(tmp_path / "none.toml"))
    assert len(run(capsys, "list")[1].splitlines()) >= 30  # the bundled samples


def test_bad_config_exits_2_naming_file_and_key(tmp_path: Path, capsys) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text("[ui]\nsortt = 'date'\n")
    code, out, err = run(capsys, "check", "--config", str(cfg))
    assert code == 2 and "config.toml" in err and "ui.sortt" in err and out == ""


def test_config_path_init_show(tmp_path: Path, capsys, monkeypatch) -> None:
    cfg = tmp_path / "c" / "config.toml"
    monkeypatch.setenv("PAPERTRAY_CONFIG", str(cfg))
    code, out, err = run(capsys, "config", "path")
    assert code == 0 and out.strip() == str(cfg) and "env" in err
    code, out, _ = run(capsys, "config", "init")
    assert code == 0 and cfg.exists()
    before = cfg.read_text()
    code, _, err = run(capsys, "config", "init")
    assert code == 2 and cfg.read_text() == before
    code, out, _ = run(capsys, "config", "show", "--json", "--data-dir", str(tmp_path / "d"))
    rows = {r["key"]: r for r in map(json.loads, out.splitlines())}
    assert rows["data.dir"]["source"] == "flag" and rows["data.dir"]["value"] == str(tmp_path / "d")
    assert rows["ui.sort"]["value"] == "digest"


def test_queue_commands(tmp_path: Path, capsys) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    code, out, _ = run(capsys, "queue", "add", "2611.04211", "lanternfish small language", "2611.04230", *data)
    assert code == 0 and out.count("queued") == 2  # the title named the same paper as the id
    code, _, err = run(capsys, "queue", "add", "no such paper at all zzzz", *data)
    assert code == 1 and "no paper" in err
    code, out, _ = run(capsys, "queue", "--json", *data)
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["2611.04211", "2611.04230"]
    assert run(capsys, "queue", "move", "2611.04230", "1", *data)[0] == 0
    assert run(capsys, "queue", "done", "2611.04211", *data)[0] == 0
    code, out, _ = run(capsys, "queue", *data)
    assert out.splitlines() == [out.splitlines()[0]] and "2611.04230" in out  # done entries hidden
    code, out, _ = run(capsys, "queue", "--all", *data)
    assert "[done]" in out.splitlines()[1]
    code, out, _ = run(capsys, "queue", "export", "--format", "bibtex", "--all", *data)
    assert "eprint = {2611.04211}" in out.replace("eprint={", "eprint = {") and "archivePrefix" in out
    assert run(capsys, "queue", "remove", "2611.04211", *data)[0] == 0
    assert run(capsys, "queue", "remove", "2611.04211", *data)[0] == 1


def test_version_help_and_python_m(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out.startswith("papertray ")
    for sub in ("check", "list", "queue", "config"):
        with pytest.raises(SystemExit):
            main([sub, "--help"])
        assert "examples:" in capsys.readouterr().out
    proc = subprocess.run([sys.executable, "-m", "tui", "check", str(SAMPLES)], capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"}, timeout=60)
    assert proc.returncode == 0 and "\x1b[" not in proc.stdout and "4 files: 4 read, 0 failed" in proc.stdout


def test_queue_add_from_given_digests_and_export_to_file(tmp_path: Path, capsys) -> None:
    (tmp_path / "2026-11-20.txt").write_text(HF_PAGE)
    data = ["--data-dir", str(tmp_path / "data")]
    code, out, _ = run(capsys, "queue", "add", "tidal priors protein", "--digests", str(tmp_path), *data)
    assert code == 0 and "Tidal Priors for Protein Folding" in out
    target = tmp_path / "out" / "reading.md"
    target.parent.mkdir()
    for fmt, marker in (("markdown", "[Tidal Priors for Protein Folding]"), ("csv", "Tidal Priors for Protein Folding"),
                        ("json", '"title": "Tidal Priors for Protein Folding"')):
        code, out, err = run(capsys, "queue", "export", "--format", fmt, "-o", str(target), *data)
        assert code == 0 and out == "" and str(target) in err
        assert marker in target.read_text()


def test_reader_with_bad_config_exits_2_before_opening(tmp_path: Path, capsys, monkeypatch) -> None:
    import tui.reader.app

    def never(*_a, **_k):  # the TUI must not even be constructed
        raise AssertionError("the reader was opened despite a bad config")

    monkeypatch.setattr(tui.reader.app, "PapertrayApp", never)
    cfg = tmp_path / "config.toml"
    cfg.write_text("[ui]\nmark_read_delay = -1\n")
    code, out, err = run(capsys, "--config", str(cfg), str(SAMPLES))
    assert code == 2 and "ui.mark_read_delay" in err and str(cfg) in err


def test_progress_bar_when_loading_takes_a_moment(tmp_path: Path, monkeypatch) -> None:
    import io

    from rich.console import Console

    from tui.commands import common

    buffer = io.StringIO()
    monkeypatch.setattr(common, "console", lambda stderr=False: Console(file=buffer, force_terminal=True, width=80))
    clock = iter(range(0, 10_000, 1))  # every call to monotonic() is a second later: "slow" loading
    monkeypatch.setattr(common.time, "monotonic", lambda: float(next(clock)))
    for n in range(3):
        (tmp_path / f"2026-11-2{n}.txt").write_text(HF_PAGE)
    store, digests = common.load_store([str(tmp_path)], common.Config())
    assert len(digests) == 3 and len(store.papers) == 2
    assert "loading digests" in buffer.getvalue()


def test_global_options_work_before_and_after_the_command(tmp_path: Path, capsys) -> None:
    from tui.cli import parse_args

    for argv in (["--config", "a.toml", "--data-dir", "d", "check"], ["check", "--config", "a.toml", "--data-dir", "d"],
                 ["--config", "a.toml", "queue", "add", "x", "--data-dir", "d"], ["--data-dir", "d", "--config", "a.toml", "p"]):
        args = parse_args(argv)
        assert (args.config, args.data_dir) == ("a.toml", "d"), argv
    args = parse_args(["list"])
    assert (args.config, args.data_dir) == (None, None)


def test_missing_paths_empty_folders_and_bad_positions(tmp_path: Path, capsys, monkeypatch) -> None:
    import tui.reader.app

    monkeypatch.setattr(tui.reader.app, "PapertrayApp", lambda *a, **k: (_ for _ in ()).throw(AssertionError("opened")))
    code, _, err = run(capsys, str(tmp_path / "bogus"))
    assert code == 2 and "no such file or directory" in err and "bogus" in err
    code, _, err = run(capsys, "list", str(tmp_path / "bogus"))
    assert code == 2 and "no such file or directory" in err
    (tmp_path / "empty").mkdir()
    code, _, err = run(capsys, "check", str(tmp_path / "empty"))
    assert code == 1 and "no digest files found" in err
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "2026-11-20.txt").write_text(HF_PAGE)
    (tmp_path / "d" / "README").write_text("not a digest\n")
    code, out, _ = run(capsys, "check", str(tmp_path / "d"))
    assert code == 0 and "2 files: 1 read, 0 failed, 1 skipped" in out and "1 warning " in out
    data = ["--data-dir", str(tmp_path / "data")]
    run(capsys, "queue", "add", "tidal priors protein", "--digests", str(tmp_path / "d"), *data)
    pid = json.loads(run(capsys, "queue", "--json", *data)[1])["id"]
    code, _, err = run(capsys, "queue", "move", pid, "5", *data)
    assert code == 2 and "position must be 1 to 1" in err


def test_unknown_theme_refused_before_the_reader_opens(tmp_path: Path, capsys, monkeypatch) -> None:
    import tui.reader.app

    monkeypatch.setattr(tui.reader.app, "PapertrayApp", lambda *a, **k: (_ for _ in ()).throw(AssertionError("opened")))
    cfg = tmp_path / "config.toml"
    cfg.write_text('[ui]\ntheme = "nosuch"\n')
    code, _, err = run(capsys, "--config", str(cfg), str(SAMPLES))
    assert code == 2 and "ui.theme" in err and "'nosuch'" in err and "nord" in err


def test_a_config_named_with_the_flag_must_exist(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "nonexistent.toml"
    code, out, err = run(capsys, "--config", str(missing), "list", str(SAMPLES))
    assert code == 2 and out == ""
    assert f"{missing}: no such file (given with --config)" in " ".join(err.split())
    code, out, _ = run(capsys, "--config", str(missing), "config", "path")  # asking where it would be is fine
    assert code == 0 and out.strip() == str(missing)


def test_unknown_theme_names_the_line(tmp_path: Path, capsys, monkeypatch) -> None:
    import tui.reader.app as reader_app

    monkeypatch.setattr(reader_app.PapertrayApp, "run", lambda self: pytest.fail("the reader must not open"))
    config = tmp_path / "c.toml"
    config.write_text('[ui]\nsort = "date"\ntheme = "no-such-theme"\n', encoding="utf-8")
    code, _, err = run(capsys, "--config", str(config), str(SAMPLES))
    assert code == 2 and f"{config}, line 3: ui.theme: unknown theme 'no-such-theme'" in " ".join(err.split())


def test_queue_status_commands_take_versioned_ids(tmp_path: Path, capsys) -> None:
    data = str(tmp_path / "data")
    assert run(capsys, "--data-dir", data, "queue", "add", "2611.04258v1", "--digests", str(SAMPLES))[0] == 0
    code, out, _ = run(capsys, "--data-dir", data, "queue", "done", "2611.04258v2")
    assert code == 0 and out.strip() == "done 2611.04258"
    code, out, _ = run(capsys, "--data-dir", data, "queue", "move", "https://arxiv.org/abs/2611.04258v3", "1")
    assert code == 0
