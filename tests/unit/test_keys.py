"""The one table of keys: ids are unique, defaults do not clash, conflicts are found by scope."""

from __future__ import annotations

from tui.keys import (
    ACTIONS,
    BY_ID,
    SCOPES,
    conflicts,
    defaults,
    key_label,
    split_keys,
    starter_keys_section,
)


def test_ids_are_unique_and_scopes_known() -> None:
    assert len(BY_ID) == len(ACTIONS)
    assert all(a.scope in SCOPES and a.label and a.description.endswith(".") for a in ACTIONS)


def test_the_defaults_have_no_conflicts() -> None:
    assert conflicts(defaults()) == []


def test_conflicts_by_scope() -> None:
    assert conflicts({"queue": "x"}) == [("x", ["queue", "toggle_read"], "several")]
    assert conflicts({"queue": "j"}) == [("j", ["queue", "down"], "movement")]
    assert conflicts({"queue_remove": "j"}) == [("j", ["down", "queue_remove"], "movement")]
    assert conflicts({"queue_note": "a"}) == []  # the queue pane's own keys may shadow global ones
    assert conflicts({"read_abstract": "t"}) == []  # different panes never meet (t: queue note)
    assert conflicts({"quit": "tab"}) == [("tab", ["quit"], "fixed")]
    assert conflicts({"down": "m,down", "up": "k,up"}) == []  # moving keys can be rebound too


def test_key_names_and_labels() -> None:
    assert split_keys("q, ?,ctrl+x") == ["q", "question_mark", "ctrl+x"]
    assert [key_label(k) for k in ("slash", "question_mark", "left_square_bracket", "shift+up", "pagedown", "f1")] == [
        "/", "?", "[", "Shift+↑", "PgDn", "F1"]


def test_starter_section_lists_every_action_with_its_default() -> None:
    text = starter_keys_section()
    for a in ACTIONS:
        assert f'\n# {a.description}\n{a.id} = "{a.keys}"\n' in text
