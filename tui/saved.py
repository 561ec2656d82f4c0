"""Saved searches: named filters shown as rows of the days pane with their unread counts.

Plain Python. Searches come from the config's `[searches]` table (read-only here) and from the
reader (`S`), kept in `<data_dir>/searches.toml`, written atomically. Counting is split so that a
read mark costs almost nothing: the ids a search's words match are found once per store (off the
UI thread, `match_ids`), and the unread count is a set look-up per id (`counts`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import tomli_w

from tui.model import Paper
from tui.persist import atomic_write, describe_os_error
from tui.search import Query, SearchIndex, parse_query

FILENAME = "searches.toml"
PREFIX = "search:"  # how the session names a saved-search row


@dataclass(frozen=True, slots=True)
class SavedSearch:
    name: str
    query: str
    source: str = "reader"  # "config" (from [searches], edit the file to change) or "reader"

    @property
    def parsed(self) -> Query:
        return parse_query(self.query)


class SavedSearches:
    """The config's searches, then the reader's, in the order they were made."""

    def __init__(self, data_dir: Path, from_config: Iterable[tuple[str, str]] = ()) -> None:
        self.path = Path(data_dir) / FILENAME
        self.warnings: list[str] = []
        self.config = [SavedSearch(n, q, "config") for n, q in from_config]
        self.mine: list[SavedSearch] = self._read()

    def _read(self) -> list[SavedSearch]:
        try:
            raw = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            self.warnings.append(f"{self.path}: ignored (could not read it: {exc}); saved searches start empty.")
            return []
        table = raw.get("searches", {})
        if not isinstance(table, dict):
            self.warnings.append(f"{self.path}: ignored: [searches] must be a table of name = \"filter\".")
            return []
        bad = [k for k, v in table.items() if not isinstance(v, str)]
        if bad:
            self.warnings.append(f"{self.path}: ignored {', '.join(bad)}: a search must be a string.")
        return [SavedSearch(k, v) for k, v in table.items() if isinstance(v, str)]

    @property
    def all(self) -> list[SavedSearch]:
        names = {s.name for s in self.config}
        return self.config + [s for s in self.mine if s.name not in names]

    def get(self, name: str) -> SavedSearch | None:
        return next((s for s in self.all if s.name == name), None)

    def _save(self, searches: list[SavedSearch]) -> str | None:
        data = "# papertray saved searches (S in the reader); name = \"filter\".\n" + tomli_w.dumps(
            {"version": 1, "searches": {s.name: s.query for s in searches}})
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, data.encode("utf-8"))
        except OSError as exc:
            return f"Could not save {self.path}: {describe_os_error(exc)}"
        self.mine = searches
        return None

    def add(self, name: str, query: str) -> str | None:
        """Save (or replace) a search; an error message, or None once it is on disk."""
        name, query = " ".join(name.split()), query.strip()
        if not name or not query:
            return "A saved search needs a name and a filter."
        if any(s.name == name for s in self.config):
            return f"{name!r} is set in the config file's [searches]; pick another name."
        kept = [s for s in self.mine if s.name != name]
        at = next((i for i, s in enumerate(self.mine) if s.name == name), len(kept))
        return self._save(kept[:at] + [SavedSearch(name, query)] + kept[at:])

    def remove(self, name: str) -> tuple[SavedSearch | None, str | None]:
        """(the removed search, for undo; an error message or None)."""
        if any(s.name == name for s in self.config):
            return None, f"{name!r} comes from the config file's [searches]; remove it there."
        found = next((s for s in self.mine if s.name == name), None)
        if found is None:
            return None, None
        return found, self._save([s for s in self.mine if s.name != name])

    def restore(self, search: SavedSearch, position: int | None = None) -> str | None:
        kept = [s for s in self.mine if s.name != search.name]
        at = len(kept) if position is None else min(position, len(kept))
        return self._save(kept[:at] + [replace(search, source="reader")] + kept[at:])


def words_only(query: Query) -> Query:
    """The query without its `is:` flags: what is matched once per store (read marks and the
    queue are applied when counting, so a mark never re-runs a search). Metadata tests stay."""
    return Query(query.terms, meta=query.meta)


def match_ids(index: SearchIndex, search: SavedSearch) -> list[str]:
    """Every paper the search's words match, in index order."""
    query = words_only(search.parsed)
    if query.empty:
        return list(index.ids)
    ids = index.search(query).ids
    pos = index.pos
    return sorted(ids, key=pos.__getitem__)


def counts(
    ids: Iterable[str], search: SavedSearch, read_ids: Container[str], queued: Callable[[str], bool] = lambda _id: False
) -> tuple[int, int]:
    """(papers, unread) of a search's matched ids under the read marks and queue now."""
    parsed = search.parsed
    flags, not_flags = parsed.flags, parsed.not_flags
    if not flags and not not_flags:  # the common case, kept to one C-level pass per set operation
        ids = ids if isinstance(ids, list) else list(ids)
        return len(ids), sum(1 for pid in ids if pid not in read_ids)
    total = unread = 0
    for pid in ids:
        is_read = pid in read_ids
        state = {"read": is_read, "unread": not is_read}
        if "queued" in flags or "queued" in not_flags:
            state["queued"] = queued(pid)
        if not all(state[f] for f in flags) or any(state[f] for f in not_flags):
            continue
        total += 1
        unread += not is_read
    return total, unread


def merge_arrivals(
    matched: dict[str, list[str]], searches: Iterable[SavedSearch], arrived: list[Paper], alive: Container[str] | None
) -> dict[str, list[str]]:
    """Saved-search matches brought up to date with papers that just arrived (a watched digest),
    without waiting for the full index to be rebuilt: the new papers get a small index of their
    own. Ids no longer loaded are dropped when `alive` is given (files were removed; otherwise
    the full match after the index rebuild tidies up). A search not matched yet stays unmatched."""
    small = SearchIndex(arrived) if arrived else None
    out: dict[str, list[str]] = {}
    for search in searches:
        ids = matched.get(search.name)
        if ids is None:
            continue
        kept = [pid for pid in ids if pid in alive] if alive is not None else list(ids)
        if small is not None:
            seen = set(kept)
            kept += [pid for pid in match_ids(small, search) if pid not in seen]
        out[search.name] = kept
    return out
