"""Typed configuration: frozen dataclasses with defaults, read once from a TOML file.

A bad config file never crashes papertray: every problem becomes a `ConfigError` with a
one-line message naming the file, the dotted key (`ui.sort`) and, when it can be found,
the line. What `config show` prints and the commented starter file (`config init`,
`config.example.toml`) are in `tui.config_text`.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, make_dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from tui.keys import ACTIONS
from tui.keys import BY_ID as ACTIONS_BY_ID
from tui.keys import conflicts as key_conflicts
from tui.keys import defaults as keys_defaults
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


def read_config(path: Path) -> tuple[Config, list[str], dict[str, Any]]:
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
    config, warnings, _ = read_config(Path(path))
    return config, warnings


# --- provenance, for `config show` ---------------------------------------------------------
