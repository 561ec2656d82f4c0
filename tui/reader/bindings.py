"""Textual bindings made from the one table of actions in `tui.keys`."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from tui.keys import in_scope


def bindings(scope: str) -> list[BindingType]:
    """The bindings of one scope (see `tui.keys.SCOPES`), with their ids so the keymap applies."""
    return [
        Binding(a.keys, a.action, a.label, show=a.show, id=a.id, tooltip=a.description) for a in in_scope(scope)
    ]
