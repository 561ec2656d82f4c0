"""`cache info|clear`: the parse cache (`tui/cache.py`) seen from the command line."""

from __future__ import annotations

import argparse

from tui.commands.common import EXIT_OK, parse_cache
from tui.model import path_text


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
