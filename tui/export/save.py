"""Writing an export to a file the way papertray writes user data: whole or not at all.

The text goes to a temporary file in the same folder, is synced, and is renamed over the target
(`tui.persist.atomic_write`), so an interrupted export never leaves half a `.bib` behind and a
failed one leaves the previous file as it was. Problems come back as one plain sentence.
"""

from __future__ import annotations

import os
from pathlib import Path

from tui.persist import atomic_write, describe_os_error


class ExportError(Exception):
    """The export could not be written; the message names the file and says why."""


def write_export(target: str | os.PathLike[str], text: str) -> bool:
    """Write `text` (UTF-8) to `target` atomically; True when it replaced an existing file."""
    raw = os.fspath(target)
    if not raw.strip():
        raise ExportError("no file name given")
    path = Path(raw).expanduser()
    if raw.endswith(("/", os.sep)) or path.is_dir():
        raise ExportError(f"cannot write {raw}: it is a folder; give a file name")
    folder = path.parent
    if not folder.exists():
        raise ExportError(f"cannot write {raw}: the folder {folder} does not exist")
    if not folder.is_dir():
        raise ExportError(f"cannot write {raw}: {folder} is not a folder")
    existed = path.exists()
    try:
        atomic_write(path, text.encode("utf-8"))
    except OSError as exc:
        reason = describe_os_error(OSError(exc.errno, exc.strerror))  # not the temporary file's name
        raise ExportError(f"cannot write {raw}: {reason}") from None
    return existed
