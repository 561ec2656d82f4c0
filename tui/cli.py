"""The command line: `papertray [PATH...]` opens the reader; `check`, `list`, `queue`, `mark`, `config` work without it.

Exit codes: 0 success; 1 a file failed (`check`), an id was not found (`queue`), a change could not
be written (`queue`, `mark`: nothing was acknowledged) or an export could not be written (`queue
export -o`); 2 bad usage or bad configuration (nothing was opened); 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date

from rich.markup import escape

from tui import __version__
from tui.commands.cache import cmd_cache
from tui.commands.common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    SAMPLES,
    CliError,
    console,
    digest_paths,
    load_settings,
    load_store,
    parse_cache,
    require_existing,
)
from tui.commands.config import cmd_config
from tui.commands.digests import cmd_check, cmd_list
from tui.commands.fetch import cmd_fetch
from tui.commands.mark import cmd_mark
from tui.commands.queue import cmd_queue
from tui.config import key_line

# The names scripts and tests take from here; the command bodies live in tui/commands/.
__all__ = [
    "COMMANDS", "EXIT_FAILED", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_USAGE", "EXPORT_FORMATS", "SAMPLES", "STATUS_CHOICES",
    "CliError", "build_parser", "console", "digest_paths", "load_settings", "load_store", "main", "parse_args",
]

COMMANDS = ("read", "check", "list", "queue", "mark", "config", "fetch", "cache")
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
