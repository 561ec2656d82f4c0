"""`config path|init|show`: where the config file is, a starter, the effective values."""

from __future__ import annotations

import argparse
import json

from tui.commands.common import EXIT_OK, CliError, console, print_json_lines
from tui.config import ConfigError
from tui.config_text import effective_config, init_config
from tui.paths import locate_config


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
        print_json_lines({"key": k, "value": v, "source": s} for k, v, s in rows)  # values come plain
    else:
        width = max(len(k) for k, _v, _s in rows)
        for k, v, s in rows:
            print(f"{k:<{width}}  {json.dumps(v, ensure_ascii=False):<40}  ({s})")
    return EXIT_OK
