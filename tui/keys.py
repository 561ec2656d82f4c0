"""Every key of the reader in one table: id, default keys, labels, help group and where it acts.

The reader builds its Textual bindings from this table (`tui.reader.bindings`); the help screen,
the command palette's hints, the footer, the config's `[keys]` defaults and checks, the starter
config's `[keys]` section and the README's key table all read it too. Plain Python: no Textual.

Key names are Textual's: a letter (`a`; `A` is shift+a), `ctrl+x`, `f1`, `enter`, or a symbol's
name (`slash`, `question_mark`, `left_square_bracket`). Several keys are comma-separated.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Where a binding lives, and so when it is active. A focused pane sees its own scope, then "list"
# (for the list panes and the abstract), then "reader" and "app".
SCOPES = ("app", "reader", "list", "papers", "days", "abstract", "queue")
GLOBAL_SCOPES = frozenset({"app", "reader"})
PANE_SCOPES = ("papers", "days", "abstract", "queue")
# The queue pane's own keys may shadow global ones on purpose (`u` undoes a removal there).
SHADOWING_SCOPES = frozenset({"queue"})

# Keys the reader keeps for itself whatever the config says.
FIXED_KEYS = frozenset({"tab", "shift+tab", "ctrl+p", "ctrl+c"})


@dataclass(frozen=True, slots=True)
class Action:
    """One thing a key does. `id` is the binding id and the name under `[keys]`."""

    id: str
    keys: str  # the default keys, comma-separated Textual key names
    action: str  # the Textual action run in the scope's namespace, e.g. "step_day(-1)"
    label: str  # short: footer and help
    description: str  # one sentence: palette, starter config, README
    group: str  # help-screen section
    scope: str
    show: bool = False  # in the footer
    palette: str = ""  # the command palette's title ("" = not offered there)


ACTIONS: tuple[Action, ...] = (
    # -- everywhere in the reader ------------------------------------------------------------------
    Action("queue", "a", "toggle_queue", "Queue",
           "Add the selected paper to the reading queue, or take it off (u brings it back with its note).",
           "Everywhere", "reader", show=True, palette="Queue or unqueue paper"),
    Action("toggle_read", "x", "toggle_read", "Read", "Mark the selected paper read or unread.",
           "Everywhere", "reader", show=True, palette="Toggle read"),
    Action("mark_all_read", "X", "mark_all_read", "All read",
           "Mark every listed paper read (the day, or the filtered set); u undoes it.",
           "Everywhere", "reader", palette="Mark all listed papers read"),
    Action("undo", "u", "undo", "Undo", "Undo the last queue removal, read toggle or mark-all.",
           "Everywhere", "reader", palette="Undo"),
    Action("next_unread", "n", "next_unread(1)", "Next unread", "Go to the next unread paper, on into the next days.",
           "Everywhere", "reader", show=True, palette="Next unread paper"),
    Action("prev_unread", "p", "next_unread(-1)", "Prev unread",
           "Go to the previous unread paper, back into the previous days.",
           "Everywhere", "reader", palette="Previous unread paper"),
    Action("next_unread_day", "N", "next_unread_day", "Next unread day",
           "Go to the next day down the days pane that has unread papers.",
           "Everywhere", "reader", palette="Next day with unread papers"),
    Action("open", "o", "open", "Open", "Open the paper's page in the browser.",
           "Everywhere", "reader", show=True, palette="Open paper in browser"),
    Action("open_pdf", "P", "open_pdf", "PDF", "Open the paper's PDF in the browser.",
           "Everywhere", "reader", palette="Open PDF"),
    Action("copy_link", "y", "copy_link", "Copy link", "Copy the paper's link to the clipboard.",
           "Everywhere", "reader", palette="Copy link"),
    Action("copy_bibtex", "b", "copy_bibtex", "Copy BibTeX", "Copy the paper's BibTeX entry to the clipboard.",
           "Everywhere", "reader", palette="Copy BibTeX entry"),
    Action("copy_key", "c", "copy_key", "Copy key", "Copy the paper's citation key (as in the BibTeX export).",
           "Everywhere", "reader", palette="Copy citation key"),
    Action("copy_id", "i", "copy_id", "Copy id", "Copy the paper's arXiv id to the clipboard.",
           "Everywhere", "reader", palette="Copy arXiv id"),
    Action("export", "e", "export_queue", "Export", "Export the queue (all or by status) to a file, in a format you pick.",
           "Everywhere", "reader", palette="Export queue to a file"),
    Action("filter", "slash", "filter", "Filter",
           "Filter papers by typing (Enter keeps the filter, Esc clears it, Up/Down walk past filters).",
           "Everywhere", "reader", show=True, palette="Filter papers"),
    Action("save_search", "S", "save_search", "Save search",
           "Save the current filter under a name: a row in the days pane with its unread count.",
           "Everywhere", "reader", palette="Save filter as a search"),
    Action("sort", "s", "cycle_sort", "Sort", "Cycle the sort order: digest, date, upvotes, title, for you.",
           "Everywhere", "reader", palette="Cycle sort"),
    Action("not_for_me", "exclamation_mark", "toggle_not_for_me", "Not for me",
           "Mark the paper not for me (the for-you order learns from it), or clear the mark.",
           "Everywhere", "reader", palette="Not for me (teach the for-you order)"),
    Action("hide_read", "h", "toggle_hide_read", "Hide read", "Show or hide papers already read.",
           "Everywhere", "reader", palette="Show or hide read papers"),
    Action("go_queue", "Q", "go_queue", "Queue pane", "Go to the queue; pressed there, show it full size or back.",
           "Everywhere", "reader", palette="Go to the queue"),
    Action("next_day", "right_square_bracket", "step_day(-1)", "Next day", "Go to the next (newer) digest day.",
           "Everywhere", "reader", palette="Next day"),
    Action("prev_day", "left_square_bracket", "step_day(1)", "Prev day", "Go to the previous (older) digest day.",
           "Everywhere", "reader", palette="Previous day"),
    Action("reload", "r", "reload", "Reload", "Look at the digest folders now and load new or changed files.",
           "Everywhere", "reader", palette="Reload digests"),
    Action("fetch", "R", "fetch_now", "Fetch", "Fetch today's digests now (`papertray fetch`); Esc stops it.",
           "Everywhere", "reader", palette="Fetch digests now"),
    Action("abstract_width", "w", "cycle_abstract", "Abstract width", "Abstract pane: normal, wide, hidden.",
           "Everywhere", "reader", palette="Abstract pane width"),
    Action("back", "escape", "back_to_list", "Back",
           "Back to the papers list (clears an active filter there; leaves the full-size queue).",
           "Everywhere", "reader"),
    Action("help", "question_mark", "help", "Help", "Show the keys and what they do.",
           "Everywhere", "app", show=True, palette="Help"),
    Action("quit", "q", "quit", "Quit", "Quit papertray.", "Everywhere", "app", show=True),
    # -- moving in a list (and scrolling the abstract) --------------------------------------------
    Action("down", "j,down", "cursor(1)", "Down", "Move down in a list (scroll the abstract).", "Lists", "list"),
    Action("up", "k,up", "cursor(-1)", "Up", "Move up in a list (scroll the abstract).", "Lists", "list"),
    Action("first", "g,home", "first", "First", "Go to the first row (the top of the abstract).", "Lists", "list"),
    Action("last", "G,end", "last", "Last", "Go to the last row (the end of the abstract).", "Lists", "list"),
    Action("page_down", "pagedown,ctrl+d,space", "page(1)", "Page down", "Page down.", "Lists", "list"),
    Action("page_up", "pageup,ctrl+u", "page(-1)", "Page up", "Page up.", "Lists", "list"),
    Action("read_abstract", "enter", "choose", "Abstract", "Papers: read the abstract of the paper (shows the pane).",
           "Lists", "papers", show=True),
    Action("show_day", "enter", "choose", "Show", "Days: show the papers of that day or saved search.",
           "Lists", "days", show=True),
    Action("delete_search", "d,delete", "delete_search", "Delete search",
           "Days: delete the saved search under the cursor (u brings it back).", "Lists", "days", show=True),
    # -- the queue pane -------------------------------------------------------------------------
    Action("queue_status", "enter", "cycle", "Status", "Queue: cycle the status to-read, reading, done.",
           "Queue", "queue", show=True),
    Action("queue_up", "K,shift+up", "move(-1)", "Move up", "Queue: move the entry up.", "Queue", "queue", show=True),
    Action("queue_down", "J,shift+down", "move(1)", "Move down", "Queue: move the entry down.", "Queue", "queue",
           show=True),
    Action("queue_remove", "d,delete", "remove", "Remove", "Queue: remove the entry (u brings it back with its note).",
           "Queue", "queue", show=True),
    Action("queue_note", "t", "note", "Note", "Queue: write a text note for the entry.", "Queue", "queue", show=True),
    Action("queue_done", "D", "toggle_done", "Show done", "Queue: show or hide done entries.", "Queue", "queue",
           show=True, palette="Show or hide done queue entries"),
)

BY_ID: dict[str, Action] = {a.id: a for a in ACTIONS}
GROUPS = ("Everywhere", "Lists", "Abstract", "Queue")

# Keys that are not in the table because they cannot be rebound: shown in help and the README.
FIXED_ROWS: dict[str, tuple[tuple[str, str], ...]] = {
    "Everywhere": (("Tab / Shift+Tab", "next / previous pane"), ("Ctrl+P", "command palette: actions, themes, go to paper")),
    "Lists": (("1 … 9", "open the paper's numbered link (from the list, the abstract or the queue)"),),
}


def defaults() -> dict[str, str]:
    """Action id -> default keys, in table order (the `[keys]` defaults)."""
    return {a.id: a.keys for a in ACTIONS}


def in_scope(scope: str) -> tuple[Action, ...]:
    """The actions whose bindings live in `scope`, in table order."""
    return tuple(a for a in ACTIONS if a.scope == scope)


def split_keys(keys: str) -> list[str]:
    """`"j, down"` -> `["j", "down"]`, each with the long name Textual gives a symbol."""
    return [key_name(k.strip()) for k in keys.split(",") if k.strip()]


_SYMBOL_NAMES = {"solidus": "slash", "reverse_solidus": "backslash", "commercial_at": "at",
                 "hyphen_minus": "minus", "plus_sign": "plus", "low_line": "underscore"}


def key_name(piece: str) -> str:
    """The long name Textual gives a single-character key (`?` -> `question_mark`)."""
    if len(piece) != 1 or piece.isalnum():
        return piece
    try:
        name = unicodedata.name(piece).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return piece
    return _SYMBOL_NAMES.get(name, name)


def _scopes_meet(a: str, b: str) -> bool:
    """Whether one focused pane can see bindings of both scopes (so one key would hide the other)."""
    if a == b:
        return True
    kinds = {a, b}
    if kinds <= GLOBAL_SCOPES:
        return True
    if kinds & SHADOWING_SCOPES and kinds & GLOBAL_SCOPES:
        return False  # the queue pane's own keys win there on purpose
    if "list" in kinds:
        return bool(kinds & (GLOBAL_SCOPES | set(PANE_SCOPES)))
    return bool(kinds & GLOBAL_SCOPES)  # a pane key against a global key


def conflicts(keymap: dict[str, str]) -> list[tuple[str, list[str], str]]:
    """Keys that would fire two actions (or that the reader keeps), for the config check.

    Returns (key, action ids in table order, reason) with reason "several", "movement" (a global
    key also used to move in a list) or "fixed".
    """
    owners: dict[str, list[str]] = {}
    for action in ACTIONS:
        for key in dict.fromkeys(split_keys(keymap.get(action.id, action.keys))):
            owners.setdefault(key, []).append(action.id)
    out: list[tuple[str, list[str], str]] = []
    for key, ids in owners.items():
        if key in FIXED_KEYS:
            out.append((key, ids, "fixed"))
            continue
        clash = [i for i in ids if any(_scopes_meet(BY_ID[i].scope, BY_ID[j].scope) for j in ids if j != i)]
        if not clash:
            continue
        movement = [i for i in clash if BY_ID[i].scope == "list"]
        out.append((key, clash, "movement" if movement and len(movement) < len(clash) else "several"))
    return out


# -- text for people: the starter config and the README -------------------------------------------

_ARROWS = {"up": "↑", "down": "↓", "left": "←", "right": "→"}
_NAMED = {"pagedown": "PgDn", "pageup": "PgUp", "escape": "Esc", "enter": "Enter", "space": "Space",
          "delete": "Del", "home": "Home", "end": "End", "tab": "Tab", "backspace": "Backspace"}


def key_label(key: str) -> str:
    """How a key is written for people: `?`, `]`, `Ctrl+D`, `Shift+↑`, `PgDn`."""
    *mods, base = key.split("+")
    if base in _ARROWS:
        shown = _ARROWS[base]
    elif base in _NAMED:
        shown = _NAMED[base]
    elif len(base) > 1 and not base.startswith("f"):
        try:
            shown = unicodedata.lookup(base.replace("_", " "))
        except KeyError:
            shown = {v: k for k, v in _SYMBOL_NAMES.items()}.get(base, base)
            if shown != base:
                shown = unicodedata.lookup(shown.replace("_", " "))
    else:
        shown = base.upper() if base.startswith("f") and base[1:].isdigit() else base
    return "+".join([m.capitalize() for m in mods] + [shown])


def starter_keys_section() -> str:
    """The `[keys]` table of the starter config: every action with its description and default."""
    lines = [
        "# Keys, as Textual key names: a letter (\"a\"; \"A\" is shift+a), \"ctrl+x\", \"f1\", \"enter\",",
        "# or a symbol's name (\"slash\", \"question_mark\", \"left_square_bracket\"). Several keys for one",
        "# action are comma-separated, e.g. quit = \"q,ctrl+q\". A key may do one thing per pane.",
        "[keys]",
    ]
    for a in ACTIONS:
        lines += [f"# {a.description}", f'{a.id} = "{a.keys}"']
    return "\n".join(lines) + "\n"


def readme_table() -> str:
    """The README's key table (a test checks the README holds exactly this)."""
    rows = ["| keys | action | id in `[keys]` |", "|---|---|---|"]
    for a in ACTIONS:
        keys = " ".join(f"`{key_label(k)}`" for k in split_keys(a.keys))
        rows.append(f"| {keys} | {a.description} | `{a.id}` |")
    for group in GROUPS:
        for keys, what in FIXED_ROWS.get(group, ()):
            rows.append(f"| `{keys}` | {what[0].upper() + what[1:]}. | — |")
    return "\n".join(rows) + "\n"
