"""Typed configuration: frozen dataclasses with defaults, read once from a TOML file.

A bad config file never crashes papertray: every problem becomes a `ConfigError` with a
one-line message naming the file, the dotted key (`ui.sort`) and, when it can be found,
the line. The commented starter file (`config init`, `config.example.toml`) is generated
from `STARTER_TEXT` here, and a test checks that it names every field the code reads.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass, make_dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from tui.keys import ACTIONS, starter_keys_section
from tui.keys import BY_ID as ACTIONS_BY_ID
from tui.keys import conflicts as key_conflicts
from tui.keys import defaults as keys_defaults
from tui.paths import Source, expand, fetch_dir, locate_config, locate_data_dir
from tui.tomlconf import ConfigError, TableReader, line_of, read_toml

CONFIG_VERSION = 1
MIN_WATCH_INTERVAL = 0.5  # seconds; faster polling of many files costs more than it gives
# The papers list's orders (`tui.listing` sorts by them); here so reading the config stays light.
SORTS = ("digest", "date", "upvotes", "title", "for-you")


# --- per-key checks (range and format), attached to fields as metadata --------------------

def _between(low: float, high: float) -> Callable[[Any], str | None]:
    """A check that a number is in [low, high] (not NaN, not infinite): the setting's sane range."""
    return lambda v: None if low <= v <= high else f"must be between {low:g} and {high:g}, found {v!r}"


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], str | None]:
    """A check for an enum-like string, listing the accepted values in the message."""
    return lambda v: None if v in choices else (
        f"must be one of {', '.join(repr(c) for c in choices)}, found {v!r}")


def _not_empty(v: str) -> str | None:
    """Strings that must name something (a theme) cannot be blank."""
    return None if v.strip() else "must not be empty"


_KEY_PIECE = re.compile(r"(?:[a-z]+\+)*(?:[A-Za-z0-9_]+|[^\s,])")


def _check_keys(v: str) -> str | None:
    """Textual key names, comma-separated: `a`, `A`, `ctrl+x`, `f1`, `slash`, `?`."""
    pieces = [p.strip() for p in v.split(",")]
    bad = [p for p in pieces if not _KEY_PIECE.fullmatch(p)]
    if bad:
        return (f"must be Textual key names separated by commas (e.g. \"q,ctrl+q\"), "
                f"found {bad[0]!r} in {v!r}")
    return None


def _check_command(v: str) -> str | None:
    """A browser command must split like a shell line, or opening a link would fail later."""
    try:
        shlex.split(v)
    except ValueError as exc:
        return f"cannot be split into words ({exc}): {v!r}"
    return None


def _check_version(v: int) -> str | None:
    """Only the format we know; a newer file may mean things this version cannot honour."""
    return None if v == CONFIG_VERSION else (
        f"must be {CONFIG_VERSION} (the config format this papertray reads), found {v}")


def _opt(default: Any, check: Callable[[Any], str | None] | None = None) -> Any:
    """A dataclass field with a default and an optional validity check run at load time."""
    return field(default=default, metadata={"check": check} if check else {})


FETCH_SOURCES = ("hf", "arxiv")
_CATEGORY = re.compile(r"[a-z][a-z\-]*(?:\.[A-Za-z\-]+)?")


def _check_sources(v: tuple[str, ...]) -> str | None:
    """Known source names, each once."""
    bad = [s for s in v if s not in FETCH_SOURCES]
    if bad:
        return f"must list sources among {', '.join(repr(s) for s in FETCH_SOURCES)}, found {bad[0]!r}"
    return "lists a source twice" if len(set(v)) != len(v) else None


def _check_categories(v: tuple[str, ...]) -> str | None:
    """arXiv category names as the RSS feed spells them (`cs.LG`, `math.AG`, `hep-th`)."""
    bad = [c for c in v if not _CATEGORY.fullmatch(c)]
    return f"must be arXiv categories such as \"cs.LG\" or \"hep-th\", found {bad[0]!r}" if bad else None


def _check_url(v: str) -> str | None:
    """A base URL the fetcher can use: http(s), a host, no query."""
    if not re.fullmatch(r"https?://[^\s/?#]+(?:/[^\s?#]*)?", v):
        return f"must be an http:// or https:// base URL without a query, found {v!r}"
    return None


# --- the config dataclasses ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DigestsConfig:
    """Which digest files to read and how."""

    paths: tuple[Path, ...] = ()
    """Files, folders or globs; `~` expanded, relative entries taken from the config file's
    folder. Globs are left for the loader to expand."""
    max_file_mb: float = _opt(64.0, _between(1, 4096))
    watch: bool = True
    watch_interval: float = _opt(3.0, _between(MIN_WATCH_INTERVAL, 86400))


@dataclass(frozen=True, slots=True)
class DataConfig:
    """Where papertray keeps its own state; resolve it with `tui.paths.data_dir`."""

    dir: Path | None = None  # None = platform default ("" in the file)


@dataclass(frozen=True, slots=True)
class UIConfig:
    """Look and reading behaviour. The theme name is checked by the UI against Textual's list."""

    theme: str = _opt("nord", _not_empty)
    sort: str = _opt("digest", _one_of(SORTS))
    mark_read_delay: float = _opt(1.5, _between(0, 3600))
    hide_read: bool = False
    show_abstract: bool = True


@dataclass(frozen=True, slots=True)
class _Keys:
    """Keys for every action of the reader, by action id (`tui.keys.ACTIONS`)."""

    def keymap(self) -> dict[str, str]:
        """Action id -> keys, ready for `App.set_keymap`."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


if TYPE_CHECKING:
    class KeysConfig(_Keys):
        """One string field per action id in `tui.keys.ACTIONS` (made from that table)."""

        def __init__(self, **keys: str) -> None: ...
        def __getattr__(self, name: str) -> str: ...
else:
    # The fields come from the one table of actions, so a new action is configurable at once.
    KeysConfig = make_dataclass(
        "KeysConfig",
        [(a.id, str, _opt(a.keys, _check_keys)) for a in ACTIONS],
        bases=(_Keys,),
        frozen=True,
        slots=True,
    )
    KeysConfig.__module__ = __name__


@dataclass(frozen=True, slots=True)
class BrowserConfig:
    """How links are opened."""

    command: str = _opt("", _check_command)

    def argv(self, url: str) -> list[str] | None:
        """The command line that opens `url`, or None to use the `webbrowser` module.

        `{url}` is substituted after splitting, so a URL can never add shell words.
        """
        if not self.command.strip():
            return None
        words = shlex.split(self.command)
        if any("{url}" in w for w in words):
            return [w.replace("{url}", url) for w in words]
        return [*words, url]


@dataclass(frozen=True, slots=True)
class FetchConfig:
    """What `papertray fetch` downloads and from where (the base URLs serve mirrors and tests)."""

    dir: Path | None = None  # None = first [digests] paths folder, else <data dir>/digests
    sources: tuple[str, ...] = _opt(FETCH_SOURCES, _check_sources)
    categories: tuple[str, ...] = _opt(("cs.LG",), _check_categories)
    queries: tuple[str, ...] = ()
    query_max_results: int = _opt(100, _between(1, 2000))
    timeout: float = _opt(30.0, _between(0.5, 600))
    retries: int = _opt(3, _between(0, 10))
    hf_base_url: str = _opt("https://huggingface.co", _check_url)
    arxiv_rss_base_url: str = _opt("https://rss.arxiv.org", _check_url)
    arxiv_api_base_url: str = _opt("https://export.arxiv.org", _check_url)


@dataclass(frozen=True, slots=True)
class Config:
    """Everything the config file can set; `Config()` is the all-defaults configuration."""

    version: int = _opt(CONFIG_VERSION, _check_version)
    digests: DigestsConfig = field(default_factory=DigestsConfig)
    data: DataConfig = field(default_factory=DataConfig)
    ui: UIConfig = field(default_factory=UIConfig)
    keys: KeysConfig = field(default_factory=KeysConfig)
    browser: BrowserConfig = field(default_factory=BrowserConfig)
    fetch: FetchConfig = field(default_factory=FetchConfig)
    # Saved searches, name -> filter (the reader's own are in the data dir's searches.toml).
    searches: tuple[tuple[str, str], ...] = ()


BINDING_IDS: Mapping[str, str] = MappingProxyType(keys_defaults())
"""Every rebindable action id with its default key(s), from `tui.keys`."""


# --- loading (the TOML machinery is in tui.tomlconf) ----------------------------------------


def key_line(path: Path, dotted: str) -> int | None:
    """The line of `path` where `dotted` (`ui.theme`) is set, for checks made outside this module."""
    try:
        return line_of(Path(path).read_text(encoding="utf-8-sig"), dotted)
    except (OSError, UnicodeDecodeError):
        return None


def _read(path: Path) -> tuple[Config, list[str], dict[str, Any]]:
    """Config, warnings and the raw table (for provenance); a missing file gives defaults."""
    loaded = read_toml(path)
    if loaded is None:
        return Config(), [], {}
    text, raw = loaded
    config = TableReader(path, text).build(Config, raw, "")
    _check_key_conflicts(config, path)
    return config, [], raw


def _check_key_conflicts(config: Config, path: Path) -> None:
    """Refuse a key that would fire two actions where one pane sees both (one would be silently
    unreachable), or a key the reader keeps (Tab, Ctrl+P...)."""
    text = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
    for key, ids, reason in key_conflicts(config.keys.keymap()):
        # Point at the line the user wrote (a default has no line).
        lines = [(n, "keys." + i) for i in ids if (n := line_of(text, "keys." + i))]
        line, dotted = lines[0] if lines else (None, "keys." + ids[0])
        where = f"{path}, line {line}" if line else str(path)
        if reason == "fixed":
            what = "is kept by the reader (Tab, Shift+Tab, Ctrl+P, Ctrl+C) and cannot be bound"
        elif reason == "movement":
            moving = [i for i in ids if ACTIONS_BY_ID[i].scope == "list"]
            others = [i for i in ids if i not in moving]
            what = (f"is the reader's own movement key ({', '.join('keys.' + i for i in moving)}) "
                    f"and cannot also be {', '.join('keys.' + i for i in others)}")
        else:
            what = "is bound to several actions: " + ", ".join("keys." + o for o in ids)
        raise ConfigError(f"{where}: key {key!r} {what}", path=path, key=dotted, line=line)


def load_config(path: Path) -> tuple[Config, list[str]]:
    """Read `path` once. A missing file means defaults; a bad one raises `ConfigError`.

    The list holds one-line warnings about settings that load but probably are not meant.
    """
    config, warnings, _ = _read(Path(path))
    return config, warnings


# --- provenance, for `config show` ---------------------------------------------------------

def _plain(value: Any) -> Any:
    """A TOML-friendly value for display: paths as strings, tuples as lists, None as ""."""
    if value is None:
        return ""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _leaves(obj: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """(dotted key, value) for every setting, in declaration order."""
    out: list[tuple[str, Any]] = []
    for f in fields(obj):
        value = getattr(obj, f.name)
        if is_dataclass(value):
            out.extend(_leaves(value, prefix + f.name + "."))
        else:
            out.append((prefix + f.name, value))
    return out


def config_keys() -> list[str]:
    """Every dotted key the config understands (`ui.sort`, `keys.quit`, …)."""
    return [key for key, _ in _leaves(Config())]


def _in_table(raw: Mapping[str, Any], dotted: str) -> bool:
    node: Any = raw
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return True


def effective_config(flag_values: Mapping[str, Any] | None = None,
                     path: Path | None = None) -> list[tuple[str, Any, Source]]:
    """Every setting with its effective value and source (`default`, `file`, `env`, `flag`).

    `flag_values` maps `"config"` (the --config value) and dotted keys such as `"data.dir"`
    (the --data-dir value) to what was given on the command line; None means not given.
    The first row is the config file itself. Raises ConfigError for a bad file.
    """
    flags = {k: v for k, v in (flag_values or {}).items() if v is not None}
    located, config_source = locate_config(flags.pop("config", None))
    path = located if path is None else expand(path)
    if path != located:
        config_source = "flag"  # the caller chose this file itself, e.g. from its own flag
    unknown = set(flags) - set(config_keys())
    if unknown:
        raise ValueError(f"not config keys: {', '.join(sorted(unknown))}")
    config, _, raw = _read(path)
    rows: list[tuple[str, Any, Source]] = [("config", str(path), config_source)]
    data_dir = locate_data_dir(flags.get("data.dir"), config.data.dir)[0]
    for key, value in _leaves(config):
        if key == "data.dir":
            where, source = locate_data_dir(flags.get(key), value)
            rows.append((key, str(where), source))
        elif key == "fetch.dir":  # the folder fetch will really use, as for data.dir
            target, why = fetch_dir(value, config.digests.paths, data_dir)
            rows.append((key, str(target), "file" if why == "fetch.dir" else "default"))
        elif key in flags:
            rows.append((key, _plain(flags[key]), "flag"))
        else:
            rows.append((key, _plain(value), "file" if _in_table(raw, key) else "default"))
    return rows


# --- the starter file ----------------------------------------------------------------------

STARTER_TEXT = """\
# papertray configuration (TOML). Every key is optional; the values shown are the defaults.
# `papertray config init` writes this file; `papertray config show` prints the settings in
# effect and where each came from (default, file, env or flag).

# Format of this file; leave it at 1.
version = 1

[digests]
# Digest files, folders and globs to read ("~" expands; relative paths start at this file's folder).
paths = []  # e.g. ["~/digests", "~/mail/arxiv-*.txt"]
# Largest digest file to read, in megabytes (1 to 4096); bigger files are skipped with an error.
max_file_mb = 64
# Watch the digest folders while papertray runs and load new or changed files (a stat of each
# folder per interval; the files are read only when a folder changed).
watch = true
# Seconds between two looks at the folders when watch is on (0.5 to 86400).
watch_interval = 3.0

[data]
# Queue and read-state folder; "" = platform default. PAPERTRAY_DATA_DIR and --data-dir win.
dir = ""

[ui]
# Textual theme, e.g. "nord", "textual-dark", "textual-light", "gruvbox", "solarized-light".
theme = "nord"
# Paper order: "digest" (as in the file), "date", "upvotes", "title" or "for-you" (learned from your queue).
sort = "digest"
# Seconds a paper stays selected before it is marked read (0 to 3600); 0 = never mark automatically.
mark_read_delay = 1.5
# Hide papers already read.
hide_read = false
# Show each paper's abstract in the detail pane.
show_abstract = true

""" + starter_keys_section() + """
[browser]
# Command that opens links; "" = system browser. "{url}" becomes the link, else it is appended.
command = ""  # e.g. "firefox --new-tab {url}"

# `papertray fetch` downloads digests (see the README for a daily cron line or systemd timer).
[fetch]
# Folder fetched files go to; "" = the first folder in [digests] paths, else the data dir's digests/.
dir = ""
# Sources to fetch: "hf" (Hugging Face daily papers) and "arxiv" (RSS feed + saved queries).
sources = ["hf", "arxiv"]
# arXiv categories of the RSS feed, fetched together: one file per announcement day.
categories = ["cs.LG"]
# Saved arXiv API searches, newest first: one file per query and day.
queries = []  # e.g. ["cat:cs.CL AND abs:retrieval", "au:hinton"]
# Most results fetched per saved query (pages of 50, 3 s apart as arXiv asks), 1 to 2000.
query_max_results = 100
# Seconds to wait for a server's answer before giving up on that request (0.5 to 600).
timeout = 30.0
# Retries after a 429, a 5xx or a cut-off answer, 0 to 10 (waits as Retry-After asks, else 2, 4, 8 s).
retries = 3
# Hugging Face base URL (for a mirror or a test server).
hf_base_url = "https://huggingface.co"
# arXiv RSS base URL; the feed is {base}/rss/<cat>+<cat>.
arxiv_rss_base_url = "https://rss.arxiv.org"
# arXiv API base URL; saved queries ask {base}/api/query.
arxiv_api_base_url = "https://export.arxiv.org"

[searches]
# Saved searches: name = "filter" (the filter syntax of `/`). Each is a row of the days pane with
# its unread count; `S` in the reader saves more (kept in the data dir's searches.toml).
# robots = "robot -survey"
# my-field = "cat:cs.LG upvotes:>20"
"""


def starter_config_text() -> str:
    """The commented starter file; `config.example.toml` in the repo is byte-identical."""
    return STARTER_TEXT


def init_config(path: Path | None = None) -> Path:
    """Write the starter file to `path` (default: the located config file); never overwrite."""
    target = Path(path) if path is not None else locate_config()[0]
    target = expand(target)
    if target.exists() or target.is_symlink():
        raise ConfigError(
            f"{target} already exists; not overwriting it (edit it, or delete it first)",
            path=target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8", newline="\n") as out:
            out.write(STARTER_TEXT)
    except FileExistsError as exc:
        raise ConfigError(f"{target} already exists; not overwriting it", path=target) from exc
    except OSError as exc:
        raise ConfigError(f"{target}: cannot write the config file: {exc.strerror or exc}",
                          path=target) from exc
    return target
