"""`papertray fetch`: download today's (or given days') digests into the digest folder.

Plain Python, no Textual: the command line and the reader's `R` both drive `fetch()`.
`http` is the polite client, `sources` knows URLs, file names and what a digest looks like,
`folder` writes atomically and remembers validators, `runner` ties them together.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tui.fetch.folder import Folder
from tui.fetch.http import Cancelled, Client, FetchError
from tui.fetch.runner import Outcome, Progress, Run, make_client
from tui.fetch.sources import SOURCES

MAX_DAYS = 62  # --since reaches back at most this many days: a backfill, not a crawl

__all__ = ["SOURCES", "Cancelled", "Client", "FetchError", "Folder", "Outcome", "fetch", "plan_days"]


def plan_days(on: date | None, since: date | None, today: date) -> list[date]:
    """The days to fetch: `--date`, each day from `--since` to today, else today.

    Raises ValueError with a one-line reason for days in the future or too far back.
    """
    if on is not None:
        if on > today:
            raise ValueError(f"--date {on} is in the future")
        return [on]
    if since is not None:
        if since > today:
            raise ValueError(f"--since {since} is in the future")
        span = (today - since).days + 1
        if span > MAX_DAYS:
            raise ValueError(f"--since {since} is {span} days back; at most {MAX_DAYS} days at a time")
        return [since + timedelta(days=n) for n in range(span)]
    return [today]


def fetch(fetch_config: Any, folder: Path, *, sources: Sequence[str] | None = None,
          on: date | None = None, since: date | None = None, today: date | None = None,
          client: Client | None = None, sleep: Callable[[float], None] | None = None,
          cancel: threading.Event | None = None,
          on_outcome: Callable[[Outcome], None] | None = None,
          on_progress: Progress | None = None) -> list[Outcome]:
    """Fetch `sources` (default: the configured ones) into `folder`; one Outcome per file.

    Raises ValueError for impossible days and OSError when the folder cannot be created or
    another fetch holds it; everything that goes wrong on the network is an Outcome.
    """
    today = today or date.today()
    days = plan_days(on, since, today)
    client = client or make_client(fetch_config, sleep=sleep, cancel=cancel)
    run = Run(fetch_config, Folder(folder), client,
              sources=list(sources or fetch_config.sources), days=days,
              latest=on is None and since is None, today=today,
              on_outcome=on_outcome, on_progress=on_progress)
    return run.run()
