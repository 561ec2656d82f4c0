"""What every command shares: the error and exit codes, the console, settings, digest paths, loading.

Kept apart from `tui/cli.py` (the parser and dispatch) so the command modules beside it need not
import the command line back.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from tui.cache import ParseCache, locate_cache_dir
from tui.config import Config, ConfigError, load_config
from tui.model import Digest, path_text
from tui.paths import data_dir as resolve_data_dir
from tui.paths import fetch_dir, locate_config
from tui.store import Store

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class CliError(Exception):
    """A user-facing error: printed as one line, exit status 2 unless given."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def console(stderr: bool = False) -> Console:
    """Rich console: plain when not a terminal or when NO_COLOR is set (rich honours both).

    Never emoji codes: a title or file name with `:smile:` in it prints as typed (markup in data
    is escaped where it is printed)."""
    return Console(stderr=stderr, highlight=False, emoji=False,
                   no_color=bool(os.environ.get("NO_COLOR")) or None, soft_wrap=True)


def load_settings(args: argparse.Namespace) -> tuple[Config, Path, Path]:
    """Config, config path and data dir; raises CliError naming the file and key on bad config."""
    path, source = locate_config(args.config)
    if source == "flag" and not path.exists():  # a file asked for by name must be there
        raise CliError(f"config error: {path}: no such file (given with --config); "
                       f"`papertray config init --config {path}` writes one")
    try:
        config, warnings = load_config(path)
    except ConfigError as exc:
        raise CliError(f"config error: {exc}") from None
    for w in warnings:
        console(stderr=True).print(f"warning: {escape(w)}")
    return config, path, resolve_data_dir(args.data_dir, config.data.dir)


def digest_paths(args_paths: Sequence[str], config: Config, data: Path | None = None) -> list[str]:
    """Arguments, else the configured digest paths (plus the fetch folder when it exists and
    lies outside them), else the fetch folder when it exists, else the bundled samples."""
    if args_paths:
        return list(args_paths)
    target, _why = fetch_dir(config.fetch.dir, config.digests.paths, data or resolve_data_dir(None, config.data.dir))
    fetched = [os.fspath(target)] if target.is_dir() else []
    if config.digests.paths:
        configured = [os.fspath(p) for p in config.digests.paths]
        inside = any(target.is_relative_to(os.path.expanduser(p)) for p in configured)
        return configured + ([] if inside else fetched)
    return fetched or [os.fspath(SAMPLES)]


def require_existing(paths: Sequence[str]) -> None:
    """A path given on the command line that does not exist is a usage error (exit 2) for every
    command; a glob pattern (`*?[` and no file of that name) may match nothing (exit 1 later)."""
    missing = [p for p in paths if not os.path.lexists(os.path.expanduser(p)) and not any(c in p for c in "*?[")]
    if missing:
        raise CliError(f"no such file or directory: {', '.join(path_text(p) for p in missing)}")


def damaged(digest: Digest) -> bool:
    """A file with any error-level problem: nothing read, or entries lost (the rest salvaged)."""
    return any(d.level == "error" for d in digest.diagnostics)


def parse_cache(args: argparse.Namespace) -> ParseCache:
    """The parse cache (`tui.cache`) at --cache-dir, $PAPERTRAY_CACHE_DIR or the platform's cache dir."""
    return ParseCache(locate_cache_dir(getattr(args, "cache_dir", None)))


def load_store(paths: Sequence[str], config: Config, cache: ParseCache | None = None) -> tuple[Store, list[Digest]]:
    """Load with a transient progress bar on stderr when loading takes more than a moment."""
    store = Store(max_bytes=int(config.digests.max_file_mb * 1024 * 1024), cache=cache)
    err = console(stderr=True)
    if not err.is_terminal:
        return store, store.load(paths)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    start = time.monotonic()
    progress: Progress | None = None
    task = None

    def tick(done: int, total: int) -> None:
        nonlocal progress, task
        if progress is None and time.monotonic() - start > 0.3 and done < total:
            progress = Progress(TextColumn("loading digests"), BarColumn(), MofNCompleteColumn(), console=err, transient=True)
            progress.start()
            task = progress.add_task("load", total=total)
        if progress is not None and task is not None:
            progress.update(task, completed=done)

    try:
        digests = store.load(paths, progress=tick)
    finally:
        if progress is not None:
            progress.stop()
    return store, digests


def iso(d: Any) -> str | None:
    return d.isoformat() if d is not None else None


def print_json_lines(objs: Any) -> None:
    out = sys.stdout
    for obj in objs:
        out.write(json.dumps(obj, ensure_ascii=False))
        out.write("\n")


def waiting(err: Console) -> Callable[[], None]:
    """What a command says when another instance holds the data folder's lock for a while."""
    return lambda: err.print("waiting for another papertray instance to finish writing…")
