"""Export formats, read back the way the receiving tool would read them."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime, timezone

import pytest

from tui.export import FORMATS, bib_escape, export
from tui.queue import QueueEntry, Source

T = datetime(2026, 1, 21, 9, 30, tzinfo=timezone.utc)


def entry(pid: str, title: str, **kw) -> QueueEntry:
    return QueueEntry(id=pid, title=title, added=T, updated=T, **kw)


ENTRIES = [
    entry(
        "2601.01234",
        "Sparse Widgets for 100% of $O(n)$ Cases_v2 & More",
        authors=("Ann Example", "Ben Sample", "Cy Test"),
        byline="Ann Example et al.",
        published=date(2026, 1, 19),
        categories=("cs.LG", "stat.ML"),
        links={"arxiv": "https://arxiv.org/abs/2601.01234", "pdf": "https://arxiv.org/pdf/2601.01234"},
        note="read section 3\nthen the appendix",
        status="reading",
        source=Source("/digests/2026-01-20.txt", "arxiv-email", date(2026, 1, 20)),
    ),
    entry(
        "2601.05678",
        "The Sparse Widget Returns {with braces} and a } stray one",
        authors=("Ann Example",),
        byline="Ann Example",
        published=date(2026, 1, 2),
        links={"arxiv": "https://arxiv.org/abs/2601.05678"},
        status="done",
    ),
    entry(
        "title:00aa11bb22cc33dd",
        "Widgets [link=https://x]y[/link] *bold* (no arXiv id)",
        authors=("Research Lab and Friends",),
        byline="Research Lab and Friends",
        links={"hf": "https://huggingface.co/papers/x(1)"},
        source=Source("/digests/hf.json", "hf-json", date(2025, 12, 30)),
    ),
]

BIB_ENTRY = re.compile(r"@misc\{([^,\s]+),\n((?:  [A-Za-z]+=\{.*\},?\n)+)\}\n")
BIB_FIELD = re.compile(r"  ([A-Za-z]+)=\{(.*)\},?\n")


def parse_bibtex(text: str) -> dict[str, dict[str, str]]:
    entries = {}
    for m in BIB_ENTRY.finditer(text):
        assert m.group(1) not in entries, f"duplicate key {m.group(1)}"
        entries[m.group(1)] = dict(BIB_FIELD.findall(m.group(2)))
    assert text.count("@misc{") == len(entries)
    return entries


def braces_balance(value: str) -> bool:
    depth = 0
    for ch in value:  # BibTeX counts braces even after a backslash
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def test_bibtex_parses_back_with_arxiv_fields() -> None:
    bib = parse_bibtex(export(ENTRIES, "bibtex"))
    assert list(bib) == ["example2026sparse", "example2026sparseb", "research2025widgets"]
    first = bib["example2026sparse"]
    assert first == {
        "title": r"Sparse Widgets for 100\% of $O(n)$ Cases\_v2 \& More",  # maths stays maths
        "author": "Ann Example and Ben Sample and Cy Test",
        "year": "2026",
        "eprint": "2601.01234",
        "archivePrefix": "arXiv",
        "primaryClass": "cs.LG",
        "url": "https://arxiv.org/abs/2601.01234",
    }
    second = bib["example2026sparseb"]
    assert second["title"] == r"The Sparse Widget Returns \textbraceleft{}with braces\textbraceright{} and a \textbraceright{} stray one"
    assert "primaryClass" not in second  # no category known
    third = bib["research2025widgets"]
    assert "eprint" not in third and "archivePrefix" not in third
    assert third["author"] == "{Research Lab and Friends}"  # one organisation, not three people
    assert third["year"] == "2025" and third["url"] == "https://huggingface.co/papers/x(1)"
    for fields in bib.values():
        assert all(braces_balance(v) for v in fields.values())


def test_bib_escape() -> None:
    assert bib_escape("a {b} c") == r"a \{b\} c"
    assert bib_escape("50% of #1 ~ x^2 \\alpha") == r"50\% of \#1 \textasciitilde{} x\textasciicircum{}2 \textbackslash{}alpha"
    assert bib_escape("two\n  lines") == "two lines"


def test_markdown_is_a_task_list_of_links() -> None:
    md = export(ENTRIES, "markdown")
    lines = md.splitlines()
    assert lines[0] == (
        r"- [ ] [Sparse Widgets for 100% of $O(n)$ Cases\_v2 & More](https://arxiv.org/abs/2601.01234)"
        " — Ann Example et al. · 2026-01-19 · reading"
    )
    assert lines[1:3] == ["  > read section 3", "  > then the appendix"]
    assert lines[3].startswith("- [x] [The Sparse Widget Returns {with braces} and a } stray one](https://arxiv.org/abs/2601.05678)")
    assert lines[4] == (
        r"- [ ] [Widgets \[link=https://x\]y\[/link\] \*bold\* (no arXiv id)](https://huggingface.co/papers/x%281%29)"
        " — Research Lab and Friends · to-read"
    )
    assert len(lines) == 5
    links = re.findall(r"\]\((https://[^)\s]+)\)", md)
    assert links == ["https://arxiv.org/abs/2601.01234", "https://arxiv.org/abs/2601.05678", "https://huggingface.co/papers/x%281%29"]


def test_csv_reads_back_with_the_csv_module() -> None:
    rows = list(csv.DictReader(io.StringIO(export(ENTRIES, "csv"))))
    assert len(rows) == 3
    assert rows[0]["id"] == "2601.01234"
    assert rows[0]["authors"] == "Ann Example; Ben Sample; Cy Test"
    assert rows[0]["note"] == "read section 3\nthen the appendix"
    assert rows[0]["source_date"] == "2026-01-20" and rows[0]["categories"] == "cs.LG stat.ML"
    assert rows[1]["status"] == "done" and rows[1]["source_path"] == ""
    assert rows[2]["url"] == "https://huggingface.co/papers/x(1)" and rows[2]["published"] == ""
    assert rows[2]["added"] == "2026-01-21T09:30:00+00:00"


def test_csv_defuses_spreadsheet_formulas() -> None:
    rows = list(csv.DictReader(io.StringIO(export([entry("x", "=HYPERLINK(\"http://evil\")")], "csv"))))
    assert rows[0]["title"] == "'=HYPERLINK(\"http://evil\")"


def test_json_is_a_list_of_objects() -> None:
    items = json.loads(export(ENTRIES, "json"))
    assert [i["id"] for i in items] == ["2601.01234", "2601.05678", "title:00aa11bb22cc33dd"]
    assert items[0]["authors"] == ["Ann Example", "Ben Sample", "Cy Test"]
    assert items[0]["source"] == {"path": "/digests/2026-01-20.txt", "format": "arxiv-email", "date": "2026-01-20"}
    assert items[1]["source"] is None and items[2]["published"] is None
    assert items[0]["added"] == "2026-01-21T09:30:00+00:00"


def test_empty_and_unknown() -> None:
    assert export([], "markdown") == ""
    assert export([], "bibtex") == ""
    assert export([], "csv").strip() == ",".join(next(csv.reader(io.StringIO(export([], "csv")))))
    assert json.loads(export([], "json")) == []
    assert FORMATS == ("markdown", "bibtex", "csv", "json")
    with pytest.raises(ValueError, match="unknown export format 'ris'"):
        export(ENTRIES, "ris")


def test_latex_titles_pass_through_and_keys_skip_commands() -> None:
    from datetime import datetime, timezone

    from tui.export import to_bibtex
    from tui.queue import QueueEntry

    t = datetime(2026, 1, 2, tzinfo=timezone.utc)
    e = QueueEntry(id="2601.00001", title=r"$\texttt{MemoryBench}$: Constraints on $f_\mathrm{NL}$ & More", added=t, updated=t,
                   authors=("Ada Zhao",), published=None, links={})
    out = to_bibtex([e])
    assert r"title={$\texttt{MemoryBench}$: Constraints on $f_\mathrm{NL}$ \& More}" in out
    assert out.startswith("@misc{zhao") and "texttt" not in out.split(",")[0]
    plain = QueueEntry(id="2601.00002", title="Cats & Dogs 100%", added=t, updated=t, links={})
    assert r"title={Cats \& Dogs 100\%}" in to_bibtex([plain])
