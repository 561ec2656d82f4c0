"""The one home for papertray's paths: where the config file and the data folder live.

Every other module asks here instead of building paths itself, so the precedence rules
(command-line flag > environment variable > config file > platform default) are written once
and `config show` can tell the user where each location came from.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import platformdirs

APP_NAME = "papertray"
ENV_CONFIG = "PAPERTRAY_CONFIG"
ENV_DATA_DIR = "PAPERTRAY_DATA_DIR"
CONFIG_FILENAME = "config.toml"

Source = Literal["flag", "env", "file", "default"]
"""Where a setting came from; `config show` prints it next to the value."""


def expand(path: str | os.PathLike[str]) -> Path:
    """`~` expanded and made absolute against the working directory.

    Absolute (not resolved) so `config show` prints a path the user recognises, symlinks intact.
    """
    return Path(os.path.expanduser(os.fspath(path))).absolute()


def _given(value: str | os.PathLike[str] | None) -> bool:
    """An empty flag or variable counts as unset: `PAPERTRAY_CONFIG= papertray` means "default"."""
    return value is not None and os.fspath(value) != ""


def locate_config(flag: str | os.PathLike[str] | None = None) -> tuple[Path, Source]:
    """The config file and the source of that choice: --config > $PAPERTRAY_CONFIG > platform."""
    if _given(flag):
        return expand(flag), "flag"  # type: ignore[arg-type]
    env = os.environ.get(ENV_CONFIG)
    if _given(env):
        return expand(env), "env"  # type: ignore[arg-type]
    return platformdirs.user_config_path(APP_NAME) / CONFIG_FILENAME, "default"


def locate_data_dir(
    flag: str | os.PathLike[str] | None = None,
    config_value: str | os.PathLike[str] | None = None,
) -> tuple[Path, Source]:
    """The data folder (queue, read state) and its source.

    `--data-dir` > $PAPERTRAY_DATA_DIR > `[data] dir` from the config file > platform default.
    `config_value` is what `Config.data.dir` holds (already made absolute by the config loader).
    """
    if _given(flag):
        return expand(flag), "flag"  # type: ignore[arg-type]
    env = os.environ.get(ENV_DATA_DIR)
    if _given(env):
        return expand(env), "env"  # type: ignore[arg-type]
    if _given(config_value):
        return expand(config_value), "file"  # type: ignore[arg-type]
    return platformdirs.user_data_path(APP_NAME), "default"


def config_file(flag: str | os.PathLike[str] | None = None) -> Path:
    """The config file to read (it need not exist)."""
    return locate_config(flag)[0]


def data_dir(
    flag: str | os.PathLike[str] | None = None,
    config_value: str | os.PathLike[str] | None = None,
) -> Path:
    """The folder for papertray's own state (it need not exist yet; writers create it)."""
    return locate_data_dir(flag, config_value)[0]


DIGESTS_SUBDIR = "digests"


def fetch_dir(
    config_value: str | os.PathLike[str] | None,
    digest_paths: tuple[Path, ...] | list[Path],
    data: Path,
) -> tuple[Path, Literal["fetch.dir", "digests.paths", "data dir"]]:
    """Where `papertray fetch` writes, and why: `[fetch] dir`, else the first folder among
    `[digests] paths` (an existing folder, not a file or glob), else `<data dir>/digests`."""
    if _given(config_value):
        return expand(config_value), "fetch.dir"  # type: ignore[arg-type]
    for entry in digest_paths:
        path = Path(os.path.expanduser(os.fspath(entry)))
        if not (_GLOB & set(os.fspath(path))) and path.is_dir():
            return path.absolute(), "digests.paths"
    return data / DIGESTS_SUBDIR, "data dir"


_GLOB = set("*?[")
