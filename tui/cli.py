"""The command line: `papertray [PATH...]` opens the reader; `check`, `list`, `queue`, `mark`, `config` work without it.

Exit codes: 0 success; 1 a file failed (`check`), an id was not found (`queue`), a change could not
be written (`queue`, `mark`: nothing was acknowledged) or an export could not be written (`queue
export -o`); 2 bad usage or bad configuration (nothing was opened); 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from tui import __version__
from tui.cache import ParseCache, locate_cache_dir
from tui.config import Config, ConfigError, effective_config, init_config, key_line, load_config
from tui.model import Digest, Paper, path_text
from tui.paths import data_dir as resolve_data_dir
from tui.paths import fetch_dir, locate_config
from tui.persist import CLI_LOCK_TIMEOUT
from tui.store import Store

SAMPLES = Path(__file__).resolve().parent / "samples"
COMMANDS = ("read", "check", "list", "queue", "mark", "config", "fetch", "cache")
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXPORT_FORMATS = ("markdown", "bibtex", "biblatex", "ris", "csl-json", "csv", "json")  # = tui.export.FORMATS
STATUS_CHOICES = ("to-read", "reading", "done")  # = tui.queue.STATUSES

EPILOG_MAIN = """\
examples:
  papertray                          open the configured digests (or the bundled samples)
  papertray ~/digests 'mail/*.txt'   open folders, files and globs
  papertray check ~/digests --json   report every file as JSON Lines
  papertray list ~/digests --json | jq -r .title
  papertray queue add 2601.15305     queue a paper by arXiv id (or an unambiguous title)
  papertray queue export --format bibtex -o reading.bib
  papertray mark read --query 'diffusion'   mark every matching paper read
  papertray config init              write a commented starter config
  papertray fetch                    download today's digests into the digest folder

exit status: 0 ok; 1 a file has an error (check, list; even if some papers were
             read), no digest found, an id not found (queue), a change or an export
             could not be written, or a source failed (fetch); 2 bad usage or
             configuration, or a path that does not exist; 130 interrupted.
"""


class CliError(Exception):
    """A user-facing error: printed as one line, exit status 2 unless given."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


# -- argument parsing ------------------------------------------------------------------------------


def _common(default: object = None) -> argparse.ArgumentParser:
    """--config and --data-dir, accepted before or after the command. Sub-commands use SUPPRESS so
    their (absent) copy never overwrites a value given before the command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="FILE", default=default,
                        help="config file (default: platform config dir; env PAPERTRAY_CONFIG)")
    common.add_argument("--data-dir", metavar="DIR", default=default,
                        help="where the queue and read state live (env PAPERTRAY_DATA_DIR)")
    common.add_argument("--cache-dir", metavar="DIR", default=default,
                        help="where parsed digests are cached (env PAPERTRAY_CACHE_DIR)")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common(argparse.SUPPRESS)
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="papertray",
        description="A keyboard-driven terminal reader for research-paper digests.",
        epilog=EPILOG_MAIN,
        formatter_class=fmt,
        parents=[_common()],
    )
    parser.add_argument("--version", action="version", version=f"papertray {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    read = sub.add_parser(
        "read", parents=[common], formatter_class=fmt, help="open the reader (the default command)",
        epilog="examples:\n  papertray ~/digests\n  papertray read hf-2026-11-20.txt arxiv/*.txt\n",
    )
    read.add_argument("paths", nargs="*", metavar="PATH", help="digest files, folders (recursive) or globs")

    check = sub.add_parser(
        "check", parents=[common], formatter_class=fmt, help="report format, date, papers and problems of each file",
        epilog="examples:\n  papertray check ~/digests\n  papertray check --json broken.json | jq .diagnostics\n\n"
        "exit status 1 if any file could not be read.",
    )
    check.add_argument("paths", nargs="*", metavar="PATH")
    check.add_argument("--json", action="store_true", help="one JSON object per file (JSON Lines)")

    lst = sub.add_parser(
        "list", parents=[common], formatter_class=fmt, help="print every paper, one per line",
        epilog="examples:\n  papertray list ~/digests\n  papertray list --json ~/digests | jq -r 'select(.upvotes > 10) | .id'\n"
        "  papertray list ~/digests --sort for-you --explain | head -n 20\n"
        "  papertray list ~/digests --query 'cat:cs.LG upvotes:>20 is:unread'\n",
    )
    lst.add_argument("paths", nargs="*", metavar="PATH")
    lst.add_argument("--json", action="store_true", help="JSON Lines, one object per paper (see README)")
    lst.add_argument("--sort", choices=("digest", "for-you"), default="digest",
                     help="digest order (default) or for-you: best first for what you queued")
    lst.add_argument("--explain", action="store_true", help="with --sort for-you: print why each paper ranks where it does")
    lst.add_argument("--query", "-q", metavar="Q",
                     help="only papers the filter matches (the reader's filter language; saved searches are scriptable)")

    queue = sub.add_parser(
        "queue", parents=[common], formatter_class=fmt, help="show or edit the reading queue",
        epilog="examples:\n  papertray queue\n  papertray queue add 2601.15305 'gated sparse attention'\n"
        "  papertray queue done 2601.15305\n  papertray queue move 2601.15305 1\n"
        "  papertray queue export --format markdown -o reading.md\n",
    )
    queue.add_argument("--json", action="store_true", help="print the queue as JSON Lines")
    queue.add_argument("--all", action="store_true", help="include done entries")
    qsub = queue.add_subparsers(dest="queue_command", metavar="ACTION")
    qadd = qsub.add_parser(
        "add", parents=[common], formatter_class=fmt,
        help="queue papers by id (as `list --json` prints) or unambiguous title",
        epilog="examples:\n  papertray queue add 2601.15305\n  papertray queue add 'gated sparse attention' --digests ~/digests\n\n"
        "ids and titles are looked up in the configured digests (or the bundled samples), or in --digests.",
    )
    qadd.add_argument("ids", nargs="+", metavar="ID")
    qadd.add_argument("--digests", action="append", metavar="PATH", help="look ids up here instead of the configured digests")
    for name, text in (("done", "mark entries done"), ("remove", "remove entries"),
                       ("reading", "mark entries as being read"), ("to-read", "mark entries to read")):
        q = qsub.add_parser(name, parents=[common], help=text)
        q.add_argument("ids", nargs="+", metavar="ID")
    qmove = qsub.add_parser("move", parents=[common], help="move an entry to a 1-based position")
    qmove.add_argument("id", metavar="ID")
    qmove.add_argument("position", type=int, metavar="POSITION")
    qexp = qsub.add_parser(
        "export", parents=[common], formatter_class=fmt, help="export the queue for notes, reference managers or spreadsheets",
        epilog="examples:\n  papertray queue export --format bibtex -o reading.bib\n"
        "  papertray queue export --format csl-json --all -o refs.json   # pandoc --citeproc\n"
        "  papertray queue export --format ris --status done -o done.ris\n\n"
        "formats: markdown (reading list), bibtex (arXiv's own style), biblatex (biber, Zotero),\n"
        "ris, csl-json (pandoc, citeproc), csv (spreadsheets), json (scripts).\n"
        "-o replaces FILE whole or not at all; links that are not http(s) are left out.",
    )
    qexp.add_argument("--format", choices=EXPORT_FORMATS, default="markdown", help="default: markdown")
    qexp.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    qexp.add_argument("--all", action="store_true", help="include done entries")
    qexp.add_argument("--status", action="append", choices=STATUS_CHOICES, metavar="STATUS",
                      help="only entries with this status (to-read, reading, done); repeatable")

    mark = sub.add_parser(
        "mark", parents=[common], formatter_class=fmt, help="mark papers read or unread",
        epilog="examples:\n  papertray mark read 2601.15305 2601.15306\n  papertray mark unread --query 'by:smith'\n"
        "  papertray mark read --query ''      every paper in the configured digests\n\n"
        "--query uses the reader's filter language, over the configured digests (or --digests).\n"
        "Printed only once the marks are on disk: a line per paper (a count for over 20 found by --query).",
    )
    mark.add_argument("state", choices=("read", "unread"))
    mark.add_argument("ids", nargs="*", metavar="ID", help="paper ids, as `list --json` prints them")
    mark.add_argument("--query", metavar="Q", help="every paper the filter matches ('' for all of them)")
    mark.add_argument("--digests", action="append", metavar="PATH", help="search here instead of the configured digests")

    cfg = sub.add_parser(
        "config", parents=[common], formatter_class=fmt, help="where the config is, write a starter, show effective values",
        epilog="examples:\n  papertray config path\n  papertray config init\n  papertray config show --json\n",
    )
    csub = cfg.add_subparsers(dest="config_command", metavar="ACTION")
    csub.add_parser("path", parents=[common], help="print where the config file is looked for")
    csub.add_parser("init", parents=[common], help="write a commented starter config (never overwrites)")
    cshow = csub.add_parser("show", parents=[common], help="effective configuration and where each value came from")
    cshow.add_argument("--json", action="store_true")

    fetch = sub.add_parser(
        "fetch", parents=[common], formatter_class=fmt,
        help="download digests (HF daily papers, arXiv RSS) into the digest folder",
        epilog="examples:\n  papertray fetch\n  papertray fetch --since 2026-11-23 --source hf\n"
        "  papertray fetch --json | jq -r .status\n\n"
        "files go to [fetch] dir, else the first [digests] paths folder, else the data dir's digests/.\n"
        "exit status 0 when every source succeeded or had nothing new, 1 when one failed.",
    )
    when = fetch.add_mutually_exclusive_group()
    when.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="fetch this day (default: today)")
    when.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="fetch every day from this one to today")
    fetch.add_argument("--source", action="append", choices=("hf", "arxiv"), help="only this source (repeatable; default: [fetch] sources)")
    fetch.add_argument("--json", action="store_true", help="one JSON object per file fetched or skipped")

    cache = sub.add_parser(
        "cache", parents=[common], formatter_class=fmt, help="the parse cache: where it is, how big; clear it",
        epilog="examples:\n  papertray cache info\n  papertray cache clear\n",
    )
    cache.add_argument("action", choices=("info", "clear"))
    return parser


def _day(text: str) -> date:
    """An argparse type: a YYYY-MM-DD date, with a message argparse prints as usage error."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """`papertray PATH...` means `papertray read PATH...`: insert the command when none is given."""
    argv = list(argv)
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("--config", "--data-dir", "--cache-dir"):
            i += 2
            continue
        if arg.startswith("-"):
            i += 1
            continue
        break
    if i >= len(argv) or argv[i] not in COMMANDS:
        if not any(a in ("-h", "--help", "--version") for a in argv[:i]):
            argv.insert(i, "read")
    return build_parser().parse_args(argv)


# -- helpers -------------------------------------------------------------------------------------------


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


def paper_json(paper: Paper, refs: dict[int, tuple[Digest, dict[str, Any]]] | None = None) -> dict[str, Any]:
    """The `list --json` contract (README): exactly these keys, in this order. `refs` caches each
    digest's small object across papers (a ten-year archive has 300k papers, 3,650 digests)."""
    digests: list[dict[str, Any]] | None = None
    if refs is not None:
        digests = []
        for d in paper.digests:
            got = refs.get(id(d))
            if got is None or got[0] is not d:
                got = refs[id(d)] = (d, _digest_ref(d))
            digests.append(got[1])
    return {
        "id": paper.id,
        "title": paper.title,
        "abstract": paper.abstract,
        "authors": list(paper.authors),
        "author_count": paper.author_count if paper.author_count is not None else (len(paper.authors) or None),
        "organization": paper.organization,
        "published": iso(paper.published),
        "upvotes": paper.upvotes,
        "categories": list(paper.categories),
        "kind": paper.kind.value,
        "links": dict(paper.links),
        "digests": digests if digests is not None else [_digest_ref(d) for d in paper.digests],
    }


def _digest_ref(d: Digest) -> dict[str, Any]:
    return {"path": path_text(d.path), "format": d.format.value if d.format else None, "date": iso(d.date)}


def digest_json(digest: Digest) -> dict[str, Any]:
    """The `check --json` contract: one object per file."""
    return {
        "path": path_text(digest.path),
        "format": digest.format.value if digest.format else None,
        "date": iso(digest.date),
        "date_start": iso(digest.date_start),
        "papers": len(digest.paper_ids),
        "ok": not damaged(digest),
        "diagnostics": [{"level": d.level, "message": d.message, "line": d.line} for d in digest.diagnostics],
    }


def _write_json_lines(objs: Any) -> None:
    out = sys.stdout
    for obj in objs:
        out.write(json.dumps(obj, ensure_ascii=False))
        out.write("\n")


# -- commands ---------------------------------------------------------------------------------------------


def cmd_read(args: argparse.Namespace) -> int:
    config, config_path, data = load_settings(args)
    from tui.reader.app import (  # imported here so the other commands start fast
        THEMES,
        PapertrayApp,
    )

    if config.ui.theme not in THEMES:
        line = key_line(config_path, "ui.theme")
        where = f"{config_path}, line {line}" if line else str(config_path)
        raise CliError(
            f"config error: {where}: ui.theme: unknown theme {config.ui.theme!r}; "
            f"one of {', '.join(THEMES)}"
        )
    from tui.preload import Preload

    require_existing(args.paths)
    paths = digest_paths(args.paths, config, data)
    # Fork the parsers before Textual starts any thread; they work while the UI boots.
    cache = parse_cache(args)
    cache.pool = True  # the reader keeps abstracts folded, restored on demand (tui.textpool)
    preload = Preload(paths, int(config.digests.max_file_mb * 1024 * 1024), cache=cache)
    app = PapertrayApp(paths, config=config, data_dir=data, preload=preload)
    try:
        app.run()
    finally:
        preload.cancel()
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    config, _path, data = load_settings(args)
    require_existing(args.paths)
    store, digests = load_store(digest_paths(args.paths, config, data), config, parse_cache(args))
    bad = sum(1 for d in digests if damaged(d))
    found = any(d.format is not None for d in digests)
    code = EXIT_FAILED if bad or not found else EXIT_OK
    if args.json:
        _write_json_lines(digest_json(d) for d in digests)
        if not found:
            console(stderr=True).print("no digest files found")
        return code
    out = console()
    if not digests:
        console(stderr=True).print("no digest files found")
        return EXIT_FAILED
    failed = sum(1 for d in digests if d.failed)
    for d in digests:
        status = ("FAIL" if d.failed else "damaged" if damaged(d) else
                  "skip" if d.format is None else "warn" if d.diagnostics else "ok")
        fmt = d.format.value if d.format else "-"
        when = iso(d.date) or "-"
        if d.date_start and d.date_start != d.date:
            when = f"{iso(d.date_start)}..{when}"
        errors = sum(1 for x in d.diagnostics if x.level == "error")
        warns = len(d.diagnostics) - errors
        problems = ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in ((errors, "error"), (warns, "warning")) if n)
        out.print(f"{status:<7}  {fmt:<11}  {when:<22}  {len(d.paper_ids):>5} papers  {problems or '-':<22}  {escape(path_text(d.path))}")
        for diag in d.diagnostics:
            out.print(f"      {escape(str(diag))}")
    c = store.counts
    total = sum(len(d.paper_ids) for d in digests)
    skipped = sum(1 for d in digests if d.format is None and not d.failed)
    salvaged = bad - failed
    out.print(
        f"{len(digests)} files: {len(digests) - failed - skipped - salvaged} read, "
        + (f"{salvaged} damaged (papers salvaged), " if salvaged else "")
        + f"{failed} failed, {skipped} skipped; "
        f"{total:,} entries, {c['papers']:,} distinct papers over {c['days']} days"
    )
    if not found:
        console(stderr=True).print("no digest files found")
    return code


def cmd_list(args: argparse.Namespace) -> int:
    if args.explain and (args.json or args.sort != "for-you"):
        raise CliError("--explain goes with --sort for-you, without --json (whose keys are fixed)")
    config, _path, data = load_settings(args)
    query = None
    if args.query is not None:
        from tui.query import parse_query

        query = parse_query(args.query)
        if query.error:
            raise CliError(f"--query: {query.error}")
    require_existing(args.paths)
    store, digests = load_store(digest_paths(args.paths, config, data), config, parse_cache(args))
    ids = store.all_ids()
    if query is not None and not query.empty:
        keep = {p.id for p in _matching([store.papers[i] for i in ids], query, data)}
        ids = [i for i in ids if i in keep]
    ranker = None
    if args.sort == "for-you":
        ids, ranker = for_you(store, ids, data)
    papers = [store.papers[i] for i in ids]
    if args.json:
        from tui.jsonl import write_json_lines
        from tui.preload import cores

        refs: dict[int, tuple[Digest, dict[str, Any]]] = {}
        write_json_lines(papers, lambda p: paper_json(p, refs), sys.stdout, workers=cores())
    else:
        out = sys.stdout
        for p in papers:
            out.write(f"{p.id}\t{iso(p.published) or ''}\t{p.title}\t{p.byline}\n")
            if args.explain and ranker is not None:
                out.write("".join(f"    {line}\n" for line in ranker.explain(p.id).lines()))
    err = console(stderr=True)
    bad = [d for d in digests if damaged(d)]
    for d in bad:
        what = "could not read" if d.failed else f"damaged ({len(d.paper_ids)} papers salvaged)"
        errors = "; ".join(x.message for x in d.diagnostics if x.level == "error")
        err.print(f"error: {what} {escape(path_text(d.path))}: {escape(errors)}")
    if not any(d.format is not None for d in digests):
        err.print("no digest files found")
        return EXIT_FAILED
    return EXIT_FAILED if bad else EXIT_OK


def for_you(store: Store, ids: list[str], data: Path) -> tuple[list[str], Any]:
    """`ids` best first for the queue and the "not for me" marks in `data`, and the model (for
    `--explain`); on a fallback to digest order it says why on stderr and returns no model."""
    from tui.queue import Queue
    from tui.rank import from_papers, from_queue
    from tui.rank.notforme import NotForMe
    from tui.rank.ranker import Ranker

    err = console(stderr=True)
    queue, marks = Queue(data), NotForMe(data)
    for w in [*queue.warnings, *marks.warnings]:
        err.print(f"warning: {escape(w)}")
    ranker = Ranker()
    ranker.add_papers(store.papers.values())
    # A paper queued again after a "not for me" is wanted: it teaches as a positive only.
    avoid = [store.papers[i] for i in sorted(marks.ids) if i in store.papers and not queue.contains(i)]
    ranker.teach(from_queue(queue.entries(include_done=True)), from_papers(avoid))
    ranking = ranker.rank(ids)
    if ranking.reason:
        err.print(f"for you: digest order ({escape(ranking.reason)})")
        return ranking.ids, None
    return ranking.ids, ranker
def _matching(papers: list[Paper], query: Any, data: Path) -> list[Paper]:
    """The papers `query` matches, in list order (the reader ranks by relevance; a script wants the
    digest order). `is:read`/`is:queued` read the user's marks and queue from the data folder."""
    from tui.queue import Queue
    from tui.readstate import ReadState
    from tui.search import SearchIndex

    is_read: Callable[[str], bool] = lambda _pid: False  # noqa: E731
    is_queued: Callable[[str], bool] = lambda _pid: False  # noqa: E731
    if query.flags or query.not_flags:
        is_read = ReadState(data, background=False).is_read
        is_queued = Queue(data).contains
    keep = set(SearchIndex(papers).search(query, None, is_read, is_queued).ids)
    return [p for p in papers if p.id in keep]


def cmd_queue(args: argparse.Namespace) -> int:
    from tui.export import export
    from tui.queue import Queue

    config, _path, data = load_settings(args)
    err = console(stderr=True)
    queue = Queue(data, lock_timeout=CLI_LOCK_TIMEOUT, on_wait=_waiting(err))
    for w in queue.warnings:
        err.print(f"warning: {escape(w)}")
    action = args.queue_command
    code = EXIT_OK
    if action is None:
        entries = queue.entries(include_done=args.all)
        if args.json:
            _write_json_lines(json.loads(export(entries, "json")))
        else:
            out = sys.stdout
            for n, e in enumerate(entries, start=1):
                # One entry, one line: a newline in a note shows as ↵ and cannot forge a line.
                note = "\t" + " ↵ ".join(e.note.split("\n")).replace("\t", " ") if e.note else ""
                out.write(f"{n:>3}. [{e.status}]\t{e.id}\t{e.title}{note}\n")
            if not entries:
                err.print("queue is empty (papertray queue add ID)")
        return EXIT_OK
    if action == "export":
        return export_queue(queue, args)
    acks: list[str] = []  # printed only once the changes are on disk
    with queue.batch():
        if action == "add":
            require_existing(args.digests or [])
            store, _ = load_store(args.digests or digest_paths([], config), config)
            for ref in args.ids:
                paper, why = find_paper(store, ref)
                if paper is None:
                    err.print(f"error: {escape(why)}")
                    code = EXIT_FAILED
                    continue
                if queue.contains(paper.id):
                    err.print(f"already queued: {paper.id}  {escape(paper.title)}")
                else:
                    queue.add(paper)
                    acks.append(f"queued {paper.id}\t{paper.title}")
        elif action == "move":
            entries = queue.entries(include_done=True)
            args.id = queued_id(queue, args.id)
            if not queue.contains(args.id):
                raise CliError(f"not in the queue: {args.id}", EXIT_FAILED)
            if not 1 <= args.position <= len(entries):
                raise CliError(f"position must be 1 to {len(entries)} (the queue has {len(entries)} entries)")
            queue.move_to(args.id, args.position - 1, include_done=True)
            acks.append(f"moved {args.id} to position {args.position}")
        else:
            for pid in (queued_id(queue, ref) for ref in args.ids):
                if not queue.contains(pid):
                    err.print(f"error: not in the queue: {escape(pid)}")
                    code = EXIT_FAILED
                    continue
                if action == "remove":
                    queue.remove(pid)
                    acks.append(f"removed {pid}")
                else:
                    status = "done" if action == "done" else action
                    queue.set_status(pid, status)
                    acks.append(f"{pid}: {status}" if status != "done" else f"done {pid}")
    if not queue.save():
        raise CliError(f"{queue.last_error} Nothing was changed.", EXIT_FAILED)
    for line in acks:
        print(line)
    return code


def queued_id(queue: Any, ref: str) -> str:
    """The queue's id for `ref`: as given, else its arXiv id without the version (`2611.04258v2`,
    an abs URL), as `queue add` accepts them."""
    ref = ref.strip()
    if queue.contains(ref):
        return ref
    from tui.model import arxiv_id

    aid = arxiv_id(ref)
    return aid if aid and queue.contains(aid) else ref


def export_queue(queue: Any, args: argparse.Namespace) -> int:
    """`queue export`: the chosen entries to stdout or, atomically, to a file; unsafe links named on stderr."""
    from tui.export import export, unsafe_links
    from tui.export.save import ExportError, write_export
    from tui.links import dropped_warning

    statuses = set(args.status or ())
    entries = queue.entries(include_done=args.all or "done" in statuses)
    if statuses:
        entries = [e for e in entries if e.status in statuses]
    err = console(stderr=True)
    for pid, url in unsafe_links(entries):
        err.print(f"warning: {escape(dropped_warning(pid, url))}")
    text = export(entries, args.format)
    if not args.output:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        replaced = write_export(args.output, text)
    except ExportError as exc:
        raise CliError(str(exc), EXIT_FAILED) from None
    count = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
    err.print(f"wrote {count} to {escape(args.output)}{' (replaced the previous file)' if replaced else ''}")
    return EXIT_OK


def _waiting(err: Console) -> Callable[[], None]:
    """What a command says when another instance holds the data folder's lock for a while."""
    return lambda: err.print("waiting for another papertray instance to finish writing…")


def cmd_mark(args: argparse.Namespace) -> int:
    """`mark read|unread`: ids and/or every paper a filter matches; acknowledged once on disk."""
    from tui.readstate import ReadState

    if not args.ids and args.query is None:
        raise CliError("give paper ids or --query (--query '' marks every paper)")
    config, _path, data = load_settings(args)
    err = console(stderr=True)
    state = ReadState(data, lock_timeout=CLI_LOCK_TIMEOUT, on_wait=_waiting(err), background=False)
    for w in state.warnings:
        err.print(f"warning: {escape(w)}")
    ids = [pid.strip() for pid in args.ids if pid.strip()]
    if args.query is not None:
        from tui.query import parse_query
        from tui.search import SearchIndex

        store, digests = load_store(args.digests or digest_paths([], config), config)
        for d in digests:
            if d.failed:
                err.print(f"error: could not read {escape(str(d.path))}")
        papers = [store.papers[i] for i in store.all_ids()]
        found = SearchIndex(papers).search(parse_query(args.query), None, state.is_read).ids
        if not found:
            err.print(f"no paper matches {args.query!r}")
        ids += found
    read = args.state == "read"
    state.set_read_many(ids, read)
    if not state.flush():
        raise CliError(f"{state.last_error} Nothing was marked.", EXIT_FAILED)
    if len(ids) > 20 and args.query is not None:
        print(f"marked {len(ids):,} papers {args.state}")
    else:
        for pid in ids:
            print(f"{args.state} {pid}")
    return EXIT_OK


def find_paper(store: Store, ref: str) -> tuple[Paper | None, str]:
    """An id as `list --json` prints it, else a title that matches one paper clearly."""
    paper = store.get(ref.strip())
    if paper is not None:
        return paper, ""
    from tui.model import arxiv_id, normalise_title

    aid = arxiv_id(ref)
    if aid and store.get(aid):
        return store.get(aid), ""
    want = normalise_title(ref)
    exact = [p for p in store.papers.values() if normalise_title(p.title) == want]
    if len(exact) == 1:
        return exact[0], ""
    from rapidfuzz import fuzz, process, utils

    titles = {pid: p.title for pid, p in store.papers.items()}
    # token_set_ratio: every word of the reference present in a title scores 100, word order free.
    best = process.extract(ref, titles, scorer=fuzz.token_set_ratio, processor=utils.default_process, limit=3, score_cutoff=80)
    if not best:
        return None, f"no paper with id or title {ref!r} in the loaded digests (use --digests PATH to look elsewhere)"
    if len(best) > 1 and best[1][1] >= best[0][1] - 10:
        options = "; ".join(f"{key}: {title[:60]}" for title, _s, key in best)
        return None, f"{ref!r} is ambiguous: {options}"
    return store.get(best[0][2]), ""


def cmd_config(args: argparse.Namespace) -> int:
    action = args.config_command or "path"
    path, source = locate_config(args.config)
    if action == "path":
        exists = "exists" if path.exists() else "does not exist yet; `papertray config init` writes one"
        print(path)
        console(stderr=True).print(f"({source}; {exists})")
        return EXIT_OK
    if action == "init":
        try:
            written = init_config(path)
        except ConfigError as exc:
            raise CliError(str(exc)) from None
        print(f"wrote {written}")
        return EXIT_OK
    if source == "flag" and not path.exists():  # show what a named file says: it must be there
        raise CliError(f"config error: {path}: no such file (given with --config); "
                       f"`papertray config init --config {path}` writes one")
    try:
        rows = effective_config({"config": args.config, "data.dir": args.data_dir}, path)
    except ConfigError as exc:
        raise CliError(f"config error: {exc}") from None
    if getattr(args, "json", False):
        _write_json_lines({"key": k, "value": _plain(v), "source": s} for k, v, s in rows)
    else:
        width = max(len(k) for k, _v, _s in rows)
        for k, v, s in rows:
            print(f"{k:<{width}}  {json.dumps(_plain(v), ensure_ascii=False):<40}  ({s})")
    return EXIT_OK


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def cmd_fetch(args: argparse.Namespace) -> int:
    from tui.fetch.command import run_fetch_command

    config, _path, data = load_settings(args)
    target, _why = fetch_dir(config.fetch.dir, config.digests.paths, data)
    try:
        return run_fetch_command(config.fetch, target, args, console(stderr=True))
    except ValueError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"fetch: {target}: {exc.strerror or exc}", EXIT_FAILED) from None


def cmd_cache(args: argparse.Namespace) -> int:
    """`cache info`: where the parse cache is and what it holds; `cache clear`: empty it."""
    cache = parse_cache(args)
    if args.action == "clear":
        print(f"removed {cache.clear():,} file(s) from {path_text(cache.folder)}")
        return EXIT_OK
    info = cache.info()
    print(f"path     {path_text(info.path)}")
    print(f"entries  {info.entries:,} ({info.bytes / 1e6:.1f} MB)" + (f"; {info.other} other file(s)" if info.other else ""))
    return EXIT_OK


HANDLERS = {
    "read": cmd_read, "check": cmd_check, "list": cmd_list, "queue": cmd_queue, "mark": cmd_mark, "config": cmd_config,
    "fetch": cmd_fetch,
    "cache": cmd_cache,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return HANDLERS[args.command or "read"](args)
    except CliError as exc:
        console(stderr=True).print(f"papertray: {escape(str(exc))}")
        return exc.code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `papertray list | head`: the reader went away; that is not an error.
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK
