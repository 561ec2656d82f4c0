"""What `papertray config show` prints and `config init` writes: every setting with its value and
where it comes from, and the commented starter file (`config.example.toml` is byte-identical to
it; a test checks it names every key the code reads). The settings themselves and their checks
are `tui.config`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from tui.config import Config, ConfigError, read_config
from tui.keys import starter_keys_section
from tui.paths import Source, expand, fetch_dir, locate_config, locate_data_dir


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
    config, _, raw = read_config(path)
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
