"""Session memory: what the reader restores on the next start (day, sort, hide-read, theme,
abstract width, the cursor's paper, past filters), in `<data_dir>/session.toml`.

Plain Python. The file is small and written whole, atomically (`tui.persist.atomic_write`); a
broken one is ignored with a warning, never fatal: losing a remembered sort costs a keypress.

The config's `[ui]` values are the starting point; the session's win over them, unless the config
value has changed since the session was saved (then the user just edited the file, and it wins).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import tomli_w

from tui.persist import atomic_write, describe_os_error

FILENAME = "session.toml"
HISTORY_MAX = 100  # past filters kept

# Remembered value -> the `[ui]` config key it overrides (None: not in the config).
FROM_CONFIG: Mapping[str, str] = {"sort": "sort", "hide_read": "hide_read", "theme": "theme",
                                  "abstract_width": "show_abstract"}


@dataclass(slots=True)
class Session:
    """What the user left things as. Empty strings / None mean "not remembered"."""

    day: str = ""  # "all", "undated", "2026-11-20" or "search:<name>"
    sort: str = ""
    hide_read: bool | None = None
    theme: str = ""
    abstract_width: str = ""  # normal | wide | hidden
    paper: str = ""  # the id under the papers cursor
    filters: list[str] = field(default_factory=list)  # filter history, oldest first
    config: dict[str, Any] = field(default_factory=dict)  # the [ui] values in force when saved

    def as_toml(self) -> str:
        data = {k: v for k, v in asdict(self).items() if v not in ("", None)}
        return "# papertray session: restored on the next start; safe to delete.\n" + tomli_w.dumps(
            {"version": 1, **data})

    def resolved(self, ui: Mapping[str, Any]) -> dict[str, Any]:
        """The remembered value of each `FROM_CONFIG` key, or the config's where the user changed
        the config since (or nothing is remembered)."""
        out: dict[str, Any] = {}
        for name, key in FROM_CONFIG.items():
            mine = getattr(self, name)
            changed = key in self.config and self.config[key] != ui.get(key)
            if mine not in ("", None) and not changed:
                out[name] = mine
        return out


def load(data_dir: Path) -> tuple[Session, list[str]]:
    """The saved session (or a fresh one) and warnings about a file that could not be used."""
    path = Path(data_dir) / FILENAME
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Session(), []
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Session(), [f"{path}: ignored (could not read it: {exc}); starting with the usual settings."]
    session = Session()
    problems: list[str] = []
    for f in fields(Session):
        if f.name not in raw:
            continue
        value = raw[f.name]
        default = getattr(session, f.name)
        ok = (
            isinstance(value, bool) if f.name == "hide_read"
            else isinstance(value, list) and all(isinstance(v, str) for v in value) if f.name == "filters"
            else isinstance(value, dict) if f.name == "config"
            else isinstance(value, type(default))
        )
        if ok:
            setattr(session, f.name, value)
        else:
            problems.append(f.name)
    if problems:
        return session, [f"{path}: ignored {', '.join(problems)} (not the expected type)."]
    session.filters = session.filters[-HISTORY_MAX:]
    return session, []


def save(data_dir: Path, session: Session) -> str | None:
    """Write the session atomically; an error message (for a toast) or None."""
    path = Path(data_dir) / FILENAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, session.as_toml().encode("utf-8"))
    except OSError as exc:
        return f"Could not save the session to {path}: {describe_os_error(exc)}"
    return None


def remember_filter(history: list[str], text: str) -> list[str]:
    """`text` becomes the newest entry (moved there if it was older); blanks are not kept."""
    text = text.strip()
    if not text:
        return history
    return [h for h in history if h != text][-(HISTORY_MAX - 1):] + [text]


@dataclass(slots=True)
class HistoryWalk:
    """↑/↓ in the filter bar: older and newer past filters, back to what was being typed."""

    history: list[str]
    typed: str = ""
    at: int | None = None  # index into history while walking

    def older(self, current: str) -> str | None:
        if not self.history:
            return None
        if self.at is None:
            self.typed, self.at = current, len(self.history)
        if self.at == 0:
            return None
        self.at -= 1
        return self.history[self.at]

    def newer(self) -> str | None:
        if self.at is None:
            return None
        self.at += 1
        if self.at >= len(self.history):
            self.at = None
            return self.typed
        return self.history[self.at]

