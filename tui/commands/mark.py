"""`mark read|unread`: by id or by filter, acknowledged once the marks are on disk."""

from __future__ import annotations

import argparse

from rich.markup import escape

from tui.commands.common import EXIT_FAILED, EXIT_OK, CliError, console, digest_paths, load_settings, load_store, waiting
from tui.persist import CLI_LOCK_TIMEOUT


def cmd_mark(args: argparse.Namespace) -> int:
    """`mark read|unread`: ids and/or every paper a filter matches; acknowledged once on disk."""
    from tui.readstate import ReadState

    if not args.ids and args.query is None:
        raise CliError("give paper ids or --query (--query '' marks every paper)")
    config, _path, data = load_settings(args)
    err = console(stderr=True)
    state = ReadState(data, lock_timeout=CLI_LOCK_TIMEOUT, on_wait=waiting(err), background=False)
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
