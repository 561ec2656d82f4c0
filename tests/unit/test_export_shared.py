"""Every paper of every real digest in ../shared, exported in every format and read back by its consumer."""

from __future__ import annotations

import json

import pytest

from tests.conftest import shared_path
from tests.export_oracles import bib_depth_ok, read_bibtex, read_csv, read_ris, render_csl
from tui.export import FORMATS, export, facts
from tui.queue import QueueEntry
from tui.store import Store

pytestmark = pytest.mark.slow  # ~2000 papers through four parsers: some seconds


@pytest.fixture(scope="module")
def entries() -> list[QueueEntry]:
    root = shared_path()
    store = Store()
    store.load([root / "seeds", root / "realdata"])
    papers = list(store.papers.values())
    assert len(papers) > 1000
    return [QueueEntry.from_paper(p) for p in papers]


@pytest.fixture(scope="module")
def exported(entries: list[QueueEntry]) -> dict[str, str]:
    return {fmt: export(entries, fmt) for fmt in FORMATS}


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
def test_bib_formats_parse_in_pybtex_and_bibtexparser(entries, exported, fmt: str) -> None:
    pyb, _lib = read_bibtex(exported[fmt])
    assert len(pyb.entries) == len(entries)
    for key, e in zip(facts.keys(entries), entries):
        fields = pyb.entries[key].fields
        assert all(bib_depth_ok(v) for v in fields.values())
        if facts.doi(e):
            assert fields["doi"] == f"10.48550/arXiv.{e.id}" and fields["eprint"] == e.id
            year, month = facts.arxiv_month(e.id) or (0, 0)
            if fmt == "bibtex":
                assert fields["year"] == str(year)  # the first version's year, also for replaced papers
            else:
                assert fields["date"].startswith(f"{year}-{month:02d}")
        names = pyb.entries[key].persons.get("author", [])
        assert all(str(p) not in (":", "et al.") for p in names)


def test_bibtex_is_ascii_for_pdflatex(exported) -> None:
    assert exported["bibtex"].isascii() and exported["biblatex"].isascii()


def test_ris_reads_back_with_rispy(entries, exported) -> None:
    records = read_ris(exported["ris"])
    assert len(records) == len(entries)
    assert all(r["type_of_reference"] == "UNPB" and r.get("title") for r in records)


def test_csl_json_renders_every_item(entries, exported) -> None:
    lines = render_csl(exported["csl-json"])
    assert len(lines) == len(entries) and all(lines)
    assert len(json.loads(exported["csl-json"])) == len(entries)


def test_csv_reads_back_defused(entries, exported) -> None:
    rows = read_csv(exported["csv"])
    assert len(rows) == len(entries)
    assert all(r["id"].startswith(("arXiv:", "title:")) for r in rows)


def test_keys_unique(entries, exported) -> None:
    keys = facts.keys(entries)
    assert len(set(keys)) == len(keys)
