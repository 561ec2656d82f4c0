"""`queue` (show, add, move, set status, remove) and `queue export`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rich.markup import escape

from tui.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    CliError,
    console,
    digest_paths,
    load_settings,
    load_store,
    print_json_lines,
    require_existing,
    waiting,
)
from tui.model import Paper
from tui.persist import CLI_LOCK_TIMEOUT
from tui.store import Store


def cmd_queue(args: argparse.Namespace) -> int:
    from tui.export import export
    from tui.queue import Queue

    config, _path, data = load_settings(args)
    err = console(stderr=True)
    queue = Queue(data, lock_timeout=CLI_LOCK_TIMEOUT, on_wait=waiting(err))
    for w in queue.warnings:
        err.print(f"warning: {escape(w)}")
    action = args.queue_command
    code = EXIT_OK
    if action is None:
        entries = queue.entries(include_done=args.all)
        if args.json:
            print_json_lines(json.loads(export(entries, "json")))
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
