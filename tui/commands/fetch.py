"""`fetch`: the command line's door to the downloader (`tui/fetch/`)."""

from __future__ import annotations

import argparse

from tui.commands.common import EXIT_FAILED, CliError, console, load_settings
from tui.paths import fetch_dir


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
