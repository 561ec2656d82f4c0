"""Every file in ../shared reads exactly: the papers read equal a count made without the parsers,
and names read as their authors wrote them (no LaTeX left, no glued words, no mojibake).

The independent counts: `<entry>`/`<item>` elements of a feed, the items of a JSON array, the
`arXiv:` lines that open an e-mail entry (right after its `\\\\` line), and for the Hugging Face
page the lines left once the boilerplate, the page date and the byline blocks (the line before a
lone `·`, the `·`, the line after) are gone, two per paper (a title and an abstract).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from ftfy import fix_encoding

from tests.conftest import SHARED, shared_path
from tui.loader import Candidate, read_digest
from tui.sanitize import looks_mojibake

_BOILERPLATE = {
    "new", "Get trending papers in your email inbox!", "Get trending papers in your email inbox once a day!",
    "Subscribe", "Daily Papers", "byAK and the research community",
}


def _hf_page_count(text: str) -> int:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    byline = {j for i, line in enumerate(lines) if line == "·" for j in (i - 1, i, i + 1)}
    rest = [line for i, line in enumerate(lines) if i not in byline]
    while rest and (rest[0] in _BOILERPLATE or re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}", rest[0])):
        rest.pop(0)
    return len(rest) // 2


def independent_count(path: Path) -> int | None:
    """Papers in `path` counted without the parsers; None for a file that is not a digest."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".xml":
        return len(re.findall(r"<(?:entry|item)[\s>]", text))
    if path.suffix == ".json":
        return sum(isinstance(item, dict) for item in json.loads(text))
    if path.parent.name == "arxiv_email" and path.name != "PROVENANCE.txt":
        return len(re.findall(r"^\\\\[ \t]*\narXiv:\S+", text, re.MULTILINE))
    if path.parent.name == "seeds":
        return _hf_page_count(text)
    return None


def _shared_files() -> list[Path]:
    if not SHARED.exists():
        return []
    return sorted(p for folder in ("seeds", "realdata") for p in (SHARED / folder).rglob("*") if p.is_file())


@pytest.mark.parametrize("path", _shared_files() or [pytest.param(None, marks=pytest.mark.skip("../shared absent"))],
                         ids=lambda p: p.name if p else "none")
def test_every_shared_file_reads_as_many_papers_as_an_independent_count(path: Path) -> None:
    expected = independent_count(path)
    result = read_digest(Candidate(path, explicit=False))
    if expected is None:
        assert result.papers == [] and result.digest.format is None
        return
    assert len(result.papers) == expected, [str(d) for d in result.digest.diagnostics]
    assert not [d for d in result.digest.diagnostics if d.level == "error"]
    for paper in result.papers:
        for text in (paper.title, *paper.authors):
            assert not looks_mojibake(text) or fix_encoding(text) == text, (paper.id, text)
        for name in paper.authors:
            assert "\\" not in name and "{" not in name and "}" not in name, (paper.id, name)


def test_the_testing_query_feed_with_mojibake_reads_all_100_entries() -> None:
    path = shared_path("realdata", "arxiv_feed_xml", "arxivpy_2026_query_testing_m100.xml")
    result = read_digest(Candidate(path, explicit=True))
    assert len(result.papers) == 100 and result.digest.diagnostics == []
    names = {a for p in result.papers for a in p.authors}
    assert {"Sébastien Lafond", "José Raúl Romero", "Oliver Weißl", "Mika V. Mäntylä", "Lasse Møldrup"} <= names
    assert any(p.title.startswith("$ω$Test") for p in result.papers)


def _raw_author_fields(text: str) -> dict[str, str]:
    """The Authors field of each e-mail entry with a backslash in it, by arXiv id, lines joined."""
    fields: dict[str, str] = {}
    for m in re.finditer(r"^arXiv:(\S+?)(?:v\d+)?(?:\s.*)?\n(?:.*\n)*?Authors: (.*(?:\n .*)*)", text, re.MULTILINE):
        if "\\" in m.group(2):
            fields.setdefault(m.group(1), " ".join(m.group(2).split()))
    return fields


def _words_without_groups(field: str) -> int:
    """Words of an Authors field once parenthesised groups and the name separators are gone."""
    previous = None
    while previous != field:
        previous, field = field, re.sub(r"\([^()]*\)", " ", field)
    return len(re.sub(r",|\band\b", " ", field).split())


def test_every_author_name_with_a_backslash_reads_as_written() -> None:
    folder = shared_path("realdata", "arxiv_email")
    checked = 0
    for path in sorted(folder.glob("*.txt")):
        fields = _raw_author_fields(path.read_text(encoding="utf-8"))
        papers = {p.id: p for p in read_digest(Candidate(path, explicit=True)).papers}
        for aid, field in fields.items():
            names = papers[aid].authors
            for name in names:  # letters, not commands; LaTeX accents became the letters they mean
                assert re.fullmatch(r"[^\W\d_][\w.'’ -]*", name), (path.name, aid, name)
            # Nothing glued (`TréGuillory`) and nothing split: as many words as the field has.
            assert sum(len(n.split()) for n in names) == _words_without_groups(field), (path.name, aid, names)
            checked += 1
    assert checked >= 21
    names = {a for p in read_digest(Candidate(folder / "asv_fixture_2026-01-26.txt", explicit=True)).papers for a in p.authors}
    assert "Tré Guillory" in names
    astro = {a for p in read_digest(Candidate(folder / "arxivbrowse_astro-ph_listings_new.txt", explicit=True)).papers
             for a in p.authors}
    assert {"Yaël Nazé", "Mária Pető", "Måns Holmberg", "C. A. Dong-Páez"} <= astro
