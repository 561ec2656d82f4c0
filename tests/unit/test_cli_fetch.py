"""`papertray fetch` from the command line, against the local stand-in server; `[fetch]` config."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.fetch_server import FakeServices, Reply, refused_url, running
from tui import cli
from tui.config import Config, ConfigError, FetchConfig, load_config
from tui.paths import fetch_dir

FETCH = FIXTURES / "fetch"


@pytest.fixture
def services() -> Iterator[FakeServices]:
    with running() as s:
        yield s


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """The client's default sleep waits on an Event; make the CLI tests never wait for real."""
    from tui.fetch import http

    monkeypatch.setattr(http.Client, "sleep", lambda self, seconds: None)


def write_config(tmp_path: Path, url: str, extra: str = "") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[fetch]\ndir = "{tmp_path / "digests"}"\nhf_base_url = "{url}"\narxiv_rss_base_url = "{url}"\n'
        f'arxiv_api_base_url = "{url}"\ntimeout = 2\nretries = 1\n{extra}', encoding="utf-8")
    return path


def hf_day(day: date, n: int = 2) -> bytes:
    """The invented HF fixture, moved to `day` (the CLI fetches relative to the real today)."""
    text = (FETCH / "hf-2026-11-28.json").read_text(encoding="utf-8")
    return text.replace("2026-11-28", day.isoformat()).encode("utf-8")


def test_fetch_json_one_object_per_file_and_quiet_stderr(
        services: FakeServices, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    today = date.today()
    for back in range(3):
        day = today - timedelta(days=back)
        services.add(f"/api/daily_papers?date={day}", Reply(200, hf_day(day)))
    config = write_config(tmp_path, services.url)
    since = (today - timedelta(days=2)).isoformat()
    code = cli.main(["--config", str(config), "fetch", "--since", since, "--source", "hf", "--json"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    objs = [json.loads(line) for line in out.splitlines()]
    assert [(o["status"], o["date"], o["papers"], o["http_status"]) for o in objs] == [
        ("fetched", (today - timedelta(days=n)).isoformat(), 3, 200) for n in (2, 1, 0)]
    assert objs[0]["file"] == str(tmp_path / "digests" / f"hf-daily-{since}.json")
    assert set(objs[0]) == {"source", "status", "file", "date", "url", "http_status", "papers", "message"}
    # Every file reads with `check`.
    assert cli.main(["check", str(tmp_path / "digests")]) == 0
    capsys.readouterr()
    # A second run writes nothing, says so per file, and still exits 0.
    code = cli.main(["--config", str(config), "fetch", "--since", since, "--source", "hf", "--json"])
    out, err = capsys.readouterr()
    assert code == 0 and [json.loads(x)["status"] for x in out.splitlines()] == ["unchanged"] * 3


def test_not_a_tty_success_prints_nothing(services: FakeServices, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    today = date.today()
    services.add(f"/api/daily_papers?date={today}", Reply(200, hf_day(today)))
    services.add("/rss/cs.LG", Reply(200, (FETCH / "rss-empty.xml").read_bytes()))
    code = cli.main(["--config", str(write_config(tmp_path, services.url)), "fetch"])
    assert code == 0 and capsys.readouterr() == ("", "")  # cron mails nothing
    assert (tmp_path / "digests" / f"hf-daily-{today}.json").is_file()


def test_offline_is_one_line_per_source_exit_1_nothing_written(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["--config", str(write_config(tmp_path, refused_url())), "fetch", "--since",
                     (date.today() - timedelta(days=3)).isoformat()])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("papertray fetch: hf ") and lines[1].startswith("papertray fetch: arxiv")
    assert all("connection refused" in line for line in lines) and "Traceback" not in err
    assert not (tmp_path / "digests").exists()


def test_html_answer_exits_1_with_the_status(services: FakeServices, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    today = date.today()
    services.add(f"/api/daily_papers?date={today}", Reply(200, (FETCH / "error-page.html").read_bytes()))
    code = cli.main(["--config", str(write_config(tmp_path, services.url)), "fetch", "--source", "hf", "--json"])
    out, err = capsys.readouterr()
    obj = json.loads(out)
    assert code == 1 and obj["status"] == "failed" and obj["http_status"] == 200 and obj["file"] is None
    assert "HTTP 200: not a digest" in err and "got an HTML page" in err
    assert not (tmp_path / "digests").exists()


def test_empty_day_is_nothing_new_exit_0(services: FakeServices, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    services.add(f"/api/daily_papers?date={date.today()}", Reply(200, b"[]"))
    code = cli.main(["--config", str(write_config(tmp_path, services.url)), "fetch", "--source", "hf", "--json"])
    out, _err = capsys.readouterr()
    assert code == 0 and json.loads(out)["status"] == "empty"


@pytest.mark.parametrize("args", [["--date", "2026-13-01"], ["--date", "2026-11-01", "--since", "2026-11-01"],
                                  ["--source", "rss"]])
def test_bad_usage_exits_2(tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["fetch", *args])
    assert caught.value.code == 2


def test_future_date_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert cli.main(["fetch", "--date", tomorrow]) == 2
    assert "in the future" in capsys.readouterr().err


def test_default_folder_is_the_data_dirs_digests_and_the_reader_loads_it(
        services: FakeServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    today = date.today()
    services.add(f"/api/daily_papers?date={today}", Reply(200, hf_day(today)))
    config = tmp_path / "config.toml"
    config.write_text(f'[fetch]\nhf_base_url = "{services.url}"\nsources = ["hf"]\n', encoding="utf-8")
    data = tmp_path / "data"
    assert cli.main(["--config", str(config), "--data-dir", str(data), "fetch"]) == 0
    assert (data / "digests" / f"hf-daily-{today}.json").is_file()
    loaded, _ = load_config(config)
    assert cli.digest_paths([], loaded, data) == [str(data / "digests")]
    assert cli.digest_paths([], Config(), tmp_path / "elsewhere") == [str(cli.SAMPLES)]


# --- folder resolution and the [fetch] section ---------------------------------------------

def test_fetch_dir_precedence(tmp_path: Path) -> None:
    data = tmp_path / "data"
    folder = tmp_path / "mine"
    folder.mkdir()
    assert fetch_dir(tmp_path / "x", (folder,), data) == (tmp_path / "x", "fetch.dir")
    assert fetch_dir(None, (tmp_path / "a-file.json", tmp_path / "*.json", folder), data) == (folder, "digests.paths")
    assert fetch_dir(None, (), data) == (data / "digests", "data dir")


def test_configured_paths_plus_the_fetch_folder(tmp_path: Path) -> None:
    (tmp_path / "fetched").mkdir()
    (tmp_path / "mail").mkdir()
    config = tmp_path / "config.toml"
    config.write_text('[digests]\npaths = ["mail"]\n[fetch]\ndir = "fetched"\n', encoding="utf-8")
    loaded, _ = load_config(config)
    assert cli.digest_paths([], loaded, tmp_path) == [str(tmp_path / "mail"), str(tmp_path / "fetched")]
    inside = tmp_path / "c2.toml"
    inside.write_text('[digests]\npaths = ["mail"]\n[fetch]\ndir = "mail/hf"\n', encoding="utf-8")
    (tmp_path / "mail" / "hf").mkdir()
    assert cli.digest_paths([], load_config(inside)[0], tmp_path) == [str(tmp_path / "mail")]


def test_fetch_config_loads_and_validates(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[fetch]\nsources = ["arxiv"]\ncategories = ["cs.CL", "hep-th", "math.AG"]\n'
                    'queries = ["cat:cs.CL AND abs:retrieval"]\nquery_max_results = 250\ntimeout = 5\n',
                    encoding="utf-8")
    fetch = load_config(path)[0].fetch
    assert fetch.sources == ("arxiv",) and fetch.categories == ("cs.CL", "hep-th", "math.AG")
    assert fetch.queries == ("cat:cs.CL AND abs:retrieval",) and fetch.query_max_results == 250
    assert fetch.timeout == 5.0 and fetch == FetchConfig(sources=("arxiv",), categories=fetch.categories,
                                                         queries=fetch.queries, query_max_results=250, timeout=5.0)


@pytest.mark.parametrize(("line", "message"), [
    ('sources = ["hf", "rss"]', "fetch.sources must list sources among 'hf', 'arxiv', found 'rss'"),
    ('sources = ["hf", "hf"]', "fetch.sources lists a source twice"),
    ('sources = "hf"', "fetch.sources must be an array of strings"),
    ('categories = ["cs LG"]', "fetch.categories must be arXiv categories"),
    ('queries = [""]', "fetch.queries[0] must not be empty"),
    ("query_max_results = 0", "fetch.query_max_results must be between 1 and 2000"),
    ("retries = 11", "fetch.retries must be between 0 and 10"),
    ("timeout = 0", "fetch.timeout must be between 0.5 and 600"),
    ('hf_base_url = "huggingface.co"', "fetch.hf_base_url must be an http:// or https:// base URL"),
    ('arxiv_api_base_url = "https://x.org/api?q=1"', "fetch.arxiv_api_base_url must be an http"),
    ('dirr = "x"', "unknown key fetch.dirr (did you mean fetch.dir?)"),
])
def test_fetch_config_errors_name_the_key_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(f"[fetch]\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert message in str(caught.value) and f"{path}, line 2" in str(caught.value)


def test_readme_documents_fetch_keys_and_a_schedule() -> None:
    from dataclasses import fields

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Fetching digests", 1)[1].split("\n## ", 1)[0]
    for f in fields(FetchConfig):
        assert f"`{f.name}`" in section, f"[fetch] {f.name} is not documented in the README"
    assert "papertray fetch" in section.split("```cron", 1)[1].split("```", 1)[0]
    assert "OnCalendar=" in section and "ExecStart=" in section


def test_config_show_prints_the_folder_fetch_will_use(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[fetch]\nretries = 5\n", encoding="utf-8")
    assert cli.main(["--config", str(config), "--data-dir", str(tmp_path / "data"), "config", "show", "--json"]) == 0
    rows = {r["key"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert rows["fetch.dir"] == {"key": "fetch.dir", "value": str(tmp_path / "data" / "digests"), "source": "default"}
    assert rows["fetch.retries"]["value"] == 5 and rows["fetch.retries"]["source"] == "file"
    assert rows["fetch.sources"]["value"] == ["hf", "arxiv"]
