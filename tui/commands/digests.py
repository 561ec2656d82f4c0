"""`check` (a report per file) and `list` (a line or a JSON object per paper)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.markup import escape

from tui.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    CliError,
    console,
    damaged,
    digest_paths,
    iso,
    load_settings,
    load_store,
    parse_cache,
    print_json_lines,
    require_existing,
)
from tui.gcpause import gc_paused
from tui.model import Digest, Paper, path_text
from tui.store import Store


def cmd_check(args: argparse.Namespace) -> int:
    with gc_paused():  # see cmd_list
        return _check(args)


def _check(args: argparse.Namespace) -> int:
    config, _path, data = load_settings(args)
    require_existing(args.paths)
    store, digests = load_store(digest_paths(args.paths, config, data), config, parse_cache(args))
    bad = sum(1 for d in digests if damaged(d))
    found = any(d.format is not None for d in digests)
    code = EXIT_FAILED if bad or not found else EXIT_OK
    if args.json:
        print_json_lines(digest_json(d) for d in digests)
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
    # The collector stays off for the whole command: everything built here lives until it ends,
    # and re-enabling it after the load makes the next allocation rescan the whole fresh store
    # (~0.3 s for ten years of digests) for cycles there are none of.
    with gc_paused():
        return _list(args)


def _list(args: argparse.Namespace) -> int:
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
