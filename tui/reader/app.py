"""The papertray app: theme, keymap, global keys and commands; the reader screen does the reading.

The App owns the long-lived model objects (config, the library of loaded digests, the queue and
the read marks) and pushes `ReaderScreen`, which lays out the panes (`tui.reader.widgets`) and
runs the actions. Every key comes from `tui.keys`; styles are in `app.tcss`.
"""

from __future__ import annotations

import os
import subprocess
import webbrowser
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from platformdirs import user_downloads_path
from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import BUILTIN_THEMES
from textual.widget import Widget

from tui.arrivals import Arrivals
from tui.config import Config
from tui.links import dropped_warning, safe_url
from tui.listing import Library
from tui.paths import data_dir as default_data_dir
from tui.persist import describe_os_error
from tui.preload import Preload
from tui.queue import Queue
from tui.rank.notforme import NotForMe
from tui.reader.bindings import bindings
from tui.reader.commands import PaperCommands, reader_commands
from tui.reader.screens.help import HelpScreen, help_sections
from tui.reader.screens.reader import ReaderScreen
from tui.reader.screens.unsaved import RESCUE_NAME, UnsavedScreen
from tui.readstate import ReadState
from tui.saved import SavedSearches
from tui.session import load as load_session
from tui.store import Store
from tui.watch import Watcher

THEMES = tuple(sorted(BUILTIN_THEMES))
SAMPLES = (Path(__file__).resolve().parents[1] / "samples").resolve()


class PapertrayApp(App[None]):
    """Days, papers, abstract and queue in one screen; every action a key away."""

    CSS_PATH = "app.tcss"
    TITLE = "papertray"
    COMMANDS = App.COMMANDS | {PaperCommands}
    # Ctrl+C leaves like `q` (Textual's default only says how to quit); in the filter it copies.
    BINDINGS = [*bindings("app"), Binding("ctrl+c", "quit", "Quit", show=False, system=True)]

    def __init__(
        self,
        paths: Iterable[str | os.PathLike[str]],
        config: Config | None = None,
        data_dir: Path | None = None,
        preload: Preload | None = None,
    ) -> None:
        super().__init__()
        self.config = config or Config()
        self.paths = [os.fspath(p) for p in paths]
        # The bundled samples (nothing given, nothing configured): the reader says so, and how to read yours.
        self.samples = bool(self.paths) and all(Path(p).resolve() == SAMPLES for p in self.paths)
        self.preload = preload
        # Without a folder from the command line, the same rules as every other command (paths.py).
        data = data_dir or default_data_dir(None, self.config.data.dir)
        self.data_dir = data
        self.arrivals = Arrivals(data)  # what is new since the last session
        self.queue = Queue(data)
        self.state = ReadState(data)
        self.not_for_me = NotForMe(data)  # the for-you order's negative examples
        self.session, self.session_warnings = load_session(data)
        self.searches = SavedSearches(data, self.config.searches)
        self.library = Library(Store(max_bytes=int(self.config.digests.max_file_mb * 1024 * 1024)))
        self.watcher = Watcher()
        self.closing = False  # set by `exit`: late timers and workers must do nothing
        self.reader = ReaderScreen()
        # Each key and the widget it was routed to, until it comes back for the bindings (on_event).
        self._key_routes: WeakKeyDictionary[events.Key, Widget | None] = WeakKeyDictionary()

    def on_mount(self) -> None:
        ui = self.config.ui
        theme = self.session.resolved(
            {"sort": ui.sort, "hide_read": ui.hide_read, "theme": ui.theme, "show_abstract": ui.show_abstract}
        ).get("theme", ui.theme)
        if theme in self.available_themes:
            self.theme = theme
        else:
            self.notify(f"Unknown theme {theme!r} (ui.theme); using the default.", severity="warning", markup=False)
        self.set_keymap(self.config.keys.keymap())
        for message in (
            self.queue.new_warnings() + self.state.new_warnings() + self.not_for_me.new_warnings()
            + self.session_warnings + self.searches.warnings
        ):
            self.notify(message, severity="warning", timeout=12, markup=False)

    async def on_event(self, event: events.Event) -> None:
        """Keys typed in the same burst as a key that moves focus go where focus went.

        A key goes to the widget focused when the app reads it, and comes back here (bubbling)
        for the bindings once that widget is done with it. With `/diffusion` read at once (a fast
        typist on a busy UI, a paste, `tmux send-keys`), `diffusion` were routed to the list
        before `/` moved focus to the filter, and the list's bindings ran `s` (sort), `o` (open),
        `q` (quit). A key that comes back from a widget that has lost focus since is handed, in
        order, to the widget that has it now."""
        if isinstance(event, events.Key):
            if not event.is_forwarded:
                self._key_routes[event] = self.focused
            else:
                routed_to = self._key_routes.pop(event, None)
                focused = self.focused
                if routed_to is not None and focused is not None and focused is not routed_to:
                    focused.post_message(events.Key(event.key, event.character))
                    return
        await super().on_event(event)

    def get_default_screen(self) -> Screen[Any]:
        return self.reader

    def exit(self, *args: Any, **kwargs: Any) -> None:
        """Leave at once, even while loading: the load stops at its next file, and parse workers
        still running are killed (asyncio would otherwise wait for the load thread at exit)."""
        if not self.closing and self.reader.is_attached:
            self.reader.save_session(wait=True)
        self.closing = True
        preload = self.preload
        if preload is not None:
            preload.cancel()
        super().exit(*args, **kwargs)

    def on_unmount(self) -> None:
        """However the app ends: what arrived until now has been seen (`tui.arrivals`)."""
        if self.arrivals.primed:
            self.arrivals.save(session=datetime.now(UTC))

    # -- global actions ------------------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Quit, unless a change is not on disk: then ask (retry, save the queue elsewhere, discard)."""
        reason = self.unsaved_reason()
        if reason is None:
            self.exit()
        else:
            self._ask_unsaved(reason)

    def unsaved_reason(self) -> str | None:
        """Try once more to write what is pending; None when everything is on disk, else why not."""
        if self.queue.dirty:
            self.queue.save()
        if self.state.dirty:
            self.state.close(timeout=1.0)
        reasons = [s.last_error or f"The {s.NOUN} are not written yet." for s in (self.queue, self.state) if s.dirty]
        return " ".join(reasons) or None

    def _ask_unsaved(self, reason: str) -> None:
        self.push_screen(UnsavedScreen(reason, Path.home() / RESCUE_NAME), self._unsaved_chosen)

    def _unsaved_chosen(self, choice: str | None) -> None:
        if choice is None:
            return  # back to reading
        if choice == "discard":
            self.exit()
            return
        if choice == "retry":
            reason = self.unsaved_reason()
            if reason is None:
                self.exit()
            else:
                self._ask_unsaved(reason)
            return
        path = Path(choice.split(":", 1)[1]).expanduser()
        try:
            self.queue.write_copy(path)
            if self.state.dirty:
                self.state.write_pending_copy(path.with_name(path.name + ".readmarks.log"))
        except OSError as exc:
            self._ask_unsaved(f"Could not write {path}: {describe_os_error(exc)}. Nothing was written there.")
            return
        self.exit()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(help_sections(self, self.config.keys.keymap())))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from reader_commands(self.reader, self.config.keys.keymap(), self.get_key_display)

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """The palette's Screenshot: into ~/Downloads when there is one, else the current folder
        (Textual's default fails when ~/Downloads does not exist)."""
        if path is None:
            downloads = user_downloads_path()
            path = str(downloads if downloads.is_dir() else Path.cwd())
        return super().deliver_screenshot(filename, path, time_format)

    @work(thread=True, group="browser")
    def open_in_browser(self, url: str) -> None:
        """The configured browser command, else the `webbrowser` module; never blocks the UI."""
        if safe_url(url) is None:  # file://, javascript:, an argv option from a hand-edited queue
            self.call_from_thread(self.notify, dropped_warning("Not opened", url), severity="warning", markup=False)
            return
        argv = self.config.browser.argv(url)
        try:
            if argv is None:
                ok = webbrowser.open(url)
            else:
                subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
                ok = True
        except OSError as exc:
            self.call_from_thread(self.notify, f"Could not open browser: {exc}", severity="error", markup=False)
            return
        message = f"Opening {url}" if ok else f"No browser found; the link is {url}"
        self.call_from_thread(self.notify, message, markup=False, timeout=4)
