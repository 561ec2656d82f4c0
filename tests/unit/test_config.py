"""Typed config: the starter file, strict validation with useful messages, provenance, init."""

from __future__ import annotations

import tomllib
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest

from tui import config as cfg
from tui.config import (
    BINDING_IDS,
    Config,
    ConfigError,
    KeysConfig,
    load_config,
)
from tui.config_text import config_keys, effective_config, init_config, starter_config_text
from tui.keys import ACTIONS

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "config.example.toml"


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def dotted_fields(cls: type, prefix: str = "") -> list[str]:
    """Every leaf key the Config dataclasses declare, found by introspection."""
    out: list[str] = []
    for f in fields(cls):
        kind = cls.__annotations__[f.name]
        sub = getattr(cfg, kind, None) if isinstance(kind, str) else kind
        if sub is not None and is_dataclass(sub):
            out += dotted_fields(sub, prefix + f.name + ".")
        else:
            out.append(prefix + f.name)
    return out


# --- the starter / example file ------------------------------------------------------------

def test_example_file_is_the_starter_text_byte_for_byte() -> None:
    assert EXAMPLE.read_bytes() == starter_config_text().encode("utf-8")


def test_example_loads_to_the_defaults() -> None:
    config, warnings = load_config(EXAMPLE)
    assert config == Config()
    assert warnings == []


def test_every_config_field_is_set_in_the_example() -> None:
    raw = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    keys = dotted_fields(Config)
    assert len(keys) == 23 + len(ACTIONS)  # version + 4 digests + 1 data + 5 ui + 1 browser + 10 fetch + searches + one per action
    for key in keys:
        node = raw
        for part in key.split("."):
            assert part in node, f"{key} is read by the code but missing from config.example.toml"
            node = node[part]
    assert keys == config_keys()


def test_every_key_in_the_example_has_a_comment_line_above_it() -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    assignments = [i for i, line in enumerate(lines) if "=" in line and not line.startswith("#")]
    assert len(assignments) == 22 + len(ACTIONS)
    for i in assignments:
        assert lines[i - 1].startswith("#"), f"no comment above line {i + 1}: {lines[i]!r}"


def test_binding_ids_are_the_keys_table_with_defaults() -> None:
    main = {
        "queue": "a", "toggle_read": "x", "open": "o", "copy_link": "y", "filter": "slash",
        "sort": "s", "hide_read": "h", "next_day": "right_square_bracket",
        "prev_day": "left_square_bracket", "help": "question_mark", "quit": "q",
    }
    assert {k: BINDING_IDS[k] for k in main} == main  # the main keys kept their ids and defaults
    assert dict(BINDING_IDS) == {a.id: a.keys for a in ACTIONS}  # every action of tui.keys
    assert [f.name for f in fields(KeysConfig)] == list(BINDING_IDS)
    with pytest.raises(TypeError):
        BINDING_IDS["quit"] = "z"  # type: ignore[index]


def test_defaults() -> None:
    c = Config()
    assert c.digests.paths == () and c.digests.max_file_mb == 64.0 and c.digests.watch is True
    assert c.digests.watch_interval == 3.0 and c.data.dir is None
    assert (c.ui.theme, c.ui.sort, c.ui.mark_read_delay) == ("nord", "digest", 1.5)
    assert c.ui.hide_read is False and c.ui.show_abstract is True
    assert c.browser.command == "" and c.version == 1


# --- loading good files --------------------------------------------------------------------

def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "nope.toml") == (Config(), [])


def test_partial_file_overrides_only_what_it_sets(tmp_path: Path) -> None:
    path = write(tmp_path, '[ui]\nsort = "upvotes"\nmark_read_delay = 0\n'
                           '[keys]\nquit = "q,ctrl+q"\n')
    config, warnings = load_config(path)
    assert config.ui.sort == "upvotes"
    assert config.ui.mark_read_delay == 0.0 and isinstance(config.ui.mark_read_delay, float)
    assert config.ui.theme == "nord"
    assert config.keys.quit == "q,ctrl+q" and config.keys.keymap()["quit"] == "q,ctrl+q"
    assert config.keys.queue == "a"
    assert warnings == []


def test_tilde_and_relative_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    path = write(tmp_path, '[digests]\n'
                           'paths = ["~/digests", "~/mail/arxiv-*.txt", "local", "/abs/x.json"]\n'
                           '[data]\ndir = "~/state"\n')
    config, _ = load_config(path)
    assert config.digests.paths == (
        home / "digests", home / "mail" / "arxiv-*.txt", tmp_path / "local", Path("/abs/x.json"))
    assert config.data.dir == home / "state"


def test_empty_data_dir_means_platform_default(tmp_path: Path) -> None:
    config, _ = load_config(write(tmp_path, '[data]\ndir = ""\n'))
    assert config.data.dir is None


def test_a_key_bound_twice_or_reserved_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, '[keys]\nqueue = "x"\n')
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == (f"{path}, line 2: key 'x' is bound to several actions: keys.queue, keys.toggle_read")
    path = write(tmp_path, '[keys]\nfilter = "?,f"\n')
    with pytest.raises(ConfigError, match="'question_mark' is bound to several actions: keys.filter, keys.help"):
        load_config(path)
    path = write(tmp_path, '[keys]\nhelp = "j"\n')
    with pytest.raises(ConfigError, match="'j' is the reader's own movement key"):
        load_config(path)
    config, warnings = load_config(write(tmp_path, '[keys]\nqueue = "z"\nhelp = "question_mark,f1"\n'))
    assert config.keys.queue == "z" and warnings == []


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b'\xef\xbb\xbf[ui]\nhide_read = true\n')
    assert load_config(path)[0].ui.hide_read is True


# --- bad files: every problem is a one-line ConfigError naming file, key and line ------------

BAD = [
    # (file text, what the message must contain, line it must name)
    ('[ui]\nsortt = "date"\n', ["unknown key ui.sortt", "did you mean ui.sort?"], 2),
    ('version = 1\n\n[colours]\nx = 1\n', ["unknown table colours"], 3),
    ('themes = "nord"\n', ["unknown key themes"], 1),
    ('[keys]\nzoom = "z"\n', ["unknown key keys.zoom", "known: queue, toggle_read"], 2),
    ('[ui]\nhide_read = "yes"\n', ["ui.hide_read must be a boolean", 'found string "yes"'], 2),
    ('[digests]\nmax_file_mb = true\n',
     ["digests.max_file_mb must be a number", "found boolean true"], 2),
    ('[digests]\npaths = "~/digests"\n',
     ["digests.paths must be an array of strings", 'found string "~/digests"'], 2),
    ('[digests]\npaths = ["a", 3]\n', ["digests.paths[1] must be a string", "found integer 3"], 2),
    ('[digests]\npaths = [""]\n', ["digests.paths[0] must not be empty"], 2),
    ('ui = 3\n', ["ui must be a table [ui]", "found integer 3"], 1),
    ('[ui]\ntheme = 3\n', ["ui.theme must be a string", "found integer 3"], 2),
    ('[ui]\ntheme = "  "\n', ["ui.theme must not be empty"], 2),
    ('[ui]\nsort = "stars"\n',
     ["ui.sort must be one of 'digest', 'date', 'upvotes', 'title', 'for-you', found 'stars'"], 2),
    ('[ui]\nmark_read_delay = -1\n', ["ui.mark_read_delay must be between 0 and 3600", "found -1"], 2),
    ('[ui]\nmark_read_delay = nan\n', ["ui.mark_read_delay must be a finite number"], 2),
    ('[digests]\nwatch_interval = 0.1\n', ["digests.watch_interval must be between 0.5 and 86400"], 2),
    ('[digests]\nmax_file_mb = 0\n', ["digests.max_file_mb must be between 1 and 4096", "found 0"], 2),
    ('[digests]\nmax_file_mb = 1e308\n', ["digests.max_file_mb must be between 1 and 4096", "found 1e+308"], 2),
    ('[digests]\nmax_file_mb = inf\n', ["digests.max_file_mb must be a finite number", "found float inf"], 2),
    ('[digests]\nmax_file_mb = nan\n', ["digests.max_file_mb must be a finite number", "found float nan"], 2),
    ('[digests]\nmax_file_mb = 4097\n', ["digests.max_file_mb must be between 1 and 4096", "found 4097"], 2),
    ('version = 2\n', ["version must be 1", "found 2"], 1),
    ('[keys]\nquit = "ctrl + q"\n', ["keys.quit must be Textual key names", "'ctrl + q'"], 2),
    ('[keys]\nquit = ""\n', ["keys.quit must be Textual key names"], 2),
    ('[browser]\ncommand = "firefox \'{url}"\n',
     ["browser.command cannot be split", "quotation"], 2),
    ('ui.sort = "x"\n', ["ui.sort must be one of"], 1),
    ('[data]\ndir = 5\n', ["data.dir must be a string", "found integer 5"], 2),
]


@pytest.mark.parametrize(("text", "needles", "line"), BAD, ids=[b[1][0][:40] for b in BAD])
def test_bad_values_name_file_key_and_line(
    tmp_path: Path, text: str, needles: list[str], line: int
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}, line {line}: "), message
    for needle in needles:
        assert needle in message, message
    assert "\n" not in message
    assert caught.value.path == path and caught.value.line == line


def test_bad_toml_names_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, 'version = 1\n[ui\ntheme = "x"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == (
        f"{path}, line 2, column 4: invalid TOML: Expected ']' at the end of a table declaration")
    assert caught.value.line == 2


def test_bad_toml_at_end_of_file_names_last_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[ui]\ntheme = ')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == f"{path}, line 2 (end of file): invalid TOML: Invalid value"
    assert caught.value.line == 2


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[ui]\ntheme = "caf\xe9"\n')
    with pytest.raises(ConfigError, match=r", line 2: not UTF-8 text") as caught:
        load_config(path)
    assert str(path) in str(caught.value)


def test_unreadable_config_is_an_error_not_a_crash(tmp_path: Path) -> None:
    folder = tmp_path / "config.toml"
    folder.mkdir()
    with pytest.raises(ConfigError, match="cannot read the config file") as caught:
        load_config(folder)
    assert str(folder) in str(caught.value) and "\n" not in str(caught.value)


# --- browser command -----------------------------------------------------------------------

def test_browser_argv() -> None:
    url = "https://arxiv.org/abs/2401.00001?a=1&b=2 ; rm -rf x"
    assert cfg.BrowserConfig().argv(url) is None
    assert cfg.BrowserConfig("  ").argv(url) is None
    assert cfg.BrowserConfig("firefox --new-tab").argv(url) == ["firefox", "--new-tab", url]
    chrome = cfg.BrowserConfig("open -a 'Google Chrome' {url}")
    assert chrome.argv(url) == ["open", "-a", "Google Chrome", url]
    assert cfg.BrowserConfig("w3m --url={url}").argv("u") == ["w3m", "--url=u"]


# --- provenance ----------------------------------------------------------------------------

def test_effective_config_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, '[ui]\nsort = "date"\n[data]\ndir = "state"\n')
    monkeypatch.setenv("PAPERTRAY_CONFIG", str(path))
    monkeypatch.setenv("PAPERTRAY_DATA_DIR", str(tmp_path / "envdata"))
    rows = {key: (value, source) for key, value, source in effective_config({"config": None})}
    assert len(rows) == 24 + len(ACTIONS)
    assert rows["config"] == (str(path), "env")
    assert rows["ui.sort"] == ("date", "file")
    assert rows["ui.theme"] == ("nord", "default")
    assert rows["digests.paths"] == ([], "default")
    assert rows["data.dir"] == (str(tmp_path / "envdata"), "env")

    flags = {"data.dir": str(tmp_path / "f"), "ui.theme": "gruvbox"}
    rows = {k: (v, s) for k, v, s in effective_config(flags)}
    assert rows["data.dir"] == (str(tmp_path / "f"), "flag")
    assert rows["ui.theme"] == ("gruvbox", "flag")

    monkeypatch.delenv("PAPERTRAY_DATA_DIR")
    rows = {k: (v, s) for k, v, s in effective_config({}, path)}
    assert rows["data.dir"] == (str(tmp_path / "state"), "file")
    assert rows["config"] == (str(path), "env")


def test_effective_config_flag_for_config_file(tmp_path: Path) -> None:
    other = write(tmp_path, '[browser]\ncommand = "lynx"\n', "other.toml")
    rows = {k: (v, s) for k, v, s in effective_config({"config": str(other)})}
    assert rows["config"] == (str(other), "flag")
    assert rows["browser.command"] == ("lynx", "file")


def test_effective_config_rejects_unknown_flag_keys_and_bad_files(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="ui.colour"):
        effective_config({"ui.colour": "red"})
    with pytest.raises(ConfigError, match="ui.sortt"):
        effective_config({}, write(tmp_path, "[ui]\nsortt = 1\n"))


# --- init ----------------------------------------------------------------------------------

def test_init_writes_starter_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "config.toml"
    assert init_config(target) == target
    assert target.read_text(encoding="utf-8") == starter_config_text()
    assert load_config(target) == (Config(), [])
    target.write_text("# mine\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        init_config(target)
    assert str(caught.value).startswith(f"{target} already exists")
    assert target.read_text(encoding="utf-8") == "# mine\n"


def test_init_default_target_follows_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERTRAY_CONFIG", str(tmp_path / "c.toml"))
    assert init_config() == tmp_path / "c.toml"
    assert (tmp_path / "c.toml").exists()


def test_default_theme_is_a_builtin_textual_theme() -> None:
    """The config stores a plain string; this guards the default against a typo or a rename."""
    from textual.theme import BUILTIN_THEMES

    assert Config().ui.theme in BUILTIN_THEMES


def test_saved_searches_table(tmp_path: Path) -> None:
    config, _ = load_config(write(tmp_path, '[searches]\nrobots = "robot -survey"\n"my field" = "cat:cs.LG"\n'))
    assert config.searches == (("robots", "robot -survey"), ("my field", "cat:cs.LG"))
    path = write(tmp_path, '[searches]\nrobots = 3\n')
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == f"{path}, line 2: searches.robots must be a non-empty string, found integer 3"
