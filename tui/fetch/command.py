"""How `papertray fetch` talks to a person or a cron job: progress, one line per file, JSON.

On a terminal: a progress bar on stderr and a line per file. Not on a terminal (cron): silent
unless something failed, then one line per failing source on stderr. `--json` adds one object
per file on stdout either way. Exit status 1 when any source failed, else 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from tui.fetch import fetch
from tui.fetch.folder import Folder
from tui.fetch.runner import WROTE, Outcome


def summary(outcomes: list[Outcome], target: Path) -> str:
    """`2 fetched, 1 unchanged, 1 failed in ~/digests`."""
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    parts = ", ".join(f"{n} {status}" for status, n in counts.items()) or "nothing to do"
    return f"{parts} in {target}"


def run_fetch_command(fetch_config: Any, target: Path, args: argparse.Namespace, err: Console) -> int:
    """Run the fetch for `args` into `target`; returns the exit status."""
    tty = err.is_terminal
    folder = Folder(target)
    progress = None
    task = None
    if tty:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        progress = Progress(TextColumn("fetching {task.description}"), BarColumn(), MofNCompleteColumn(),
                            console=err, transient=True)

    def on_outcome(outcome: Outcome) -> None:
        if args.json:
            sys.stdout.write(json.dumps(outcome.to_json(folder), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        if outcome.failed:
            err.print(f"papertray fetch: {escape(outcome.line())}")
        elif tty and not args.json:
            err.print(escape(outcome.line()))

    def on_progress(done: int, total: int, label: str) -> None:
        nonlocal task
        if progress is None:
            return
        if task is None:
            task = progress.add_task(escape(label), total=total)
        progress.update(task, completed=done, total=total, description=escape(label))

    sources = list(dict.fromkeys(args.source)) if args.source else None
    if progress is not None:
        progress.start()
    try:
        outcomes = fetch(fetch_config, target, sources=sources, on=args.date, since=args.since,
                         on_outcome=on_outcome, on_progress=on_progress)
    finally:
        if progress is not None:
            progress.stop()
    if tty and not args.json:
        err.print(escape(summary(outcomes, target)))
    failed = any(o.failed for o in outcomes)
    return 1 if failed else 0


__all__ = ["WROTE", "run_fetch_command", "summary"]
