"""Export formats, read back by the tools that receive them (pybtex, bibtexparser, rispy, citeproc-py, csv)."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, datetime, timezone

import pytest

from tests.export_oracles import bib_depth_ok, read_bibtex, read_csv, read_ris, render_csl
from tui.export import FORMATS, export, facts, tex, unsafe_links
from tui.queue import QueueEntry, Source

T = datetime(2026, 1, 21, 9, 30, tzinfo=timezone.utc)


def entry(pid: str, title: str, **kw) -> QueueEntry:
    return QueueEntry(id=pid, title=title, added=T, updated=T, **kw)


def arxiv(aid: str) -> dict[str, str]:
    return {"arxiv": f"https://arxiv.org/abs/{aid}", "pdf": f"https://arxiv.org/pdf/{aid}"}


LATEX_TITLE = entry(
    "2601.01234", r"Constraints on $f_\mathrm{NL}$ from 100% of $\Sigma$-Widgets & More",
    authors=("Ann Example", "Ben Sample", "Cy Test"), byline="Ann Example et al.", published=date(2026, 1, 19),
    categories=("astro-ph.CO", "stat.ML"), links=arxiv("2601.01234"), note="read section 3\nthen the appendix",
    status="reading", abstract=r"We bound $f_\mathrm{NL} < 5$ with 50% less data.",
    source=Source("/digests/2026-01-20.txt", "arxiv-email", date(2026, 1, 20)),
)
UNICODE = entry(
    "2601.02222", "λ-Calculus for Σβ Models by Gödel's Method",
    authors=("Zoë Łukasiewicz", "Ruud J. G. van Sloun", "Jan Dąbrowski"), published=date(2026, 1, 5), links=arxiv("2601.02222"),
)
TRUNCATED = entry(
    "2601.03333", "Large Survey of Things", authors=("Ramprasad Rao", "Simona Righini", "et al."), links=arxiv("2601.03333"),
)
ATOM_COLON = entry(
    "2607.09424", "ChatGPT on Android: Sentence case with proper nouns", authors=("The Soofi-Team", ":", "Ada Zhao"),
    published=date(2026, 7, 9), links=arxiv("2607.09424"), abstract="We port ChatGPT to phones running Android and iOS.",
)
COLLAB = entry(
    "2601.14235", "Cosmology with the First Year of Data",
    authors=("LSST Dark Energy Science Collaboration", "Mariano Javier de León Dominguez Romero"), links=arxiv("2601.14235"),
)
REPLACED = entry(  # a replacement announced in 2026 of a paper first posted in March 2025
    "2503.03592", "An Old Paper Replaced", authors=("Old Author",), published=date(2026, 1, 20), links=arxiv("2503.03592"),
)
DANGEROUS = entry(
    "2601.04444", r"Owned \input{/etc/passwd} \immediate\write18{rm -rf ~} \def\x{y} ^^5cinput $\catcode`\@=11$",
    authors=(r"Eve \include{secret}",), links=arxiv("2601.04444"), note="} , note = {injected",
)
INJECTED_ID = entry(  # a hand-edited queue.toml: the id itself tries to add a field
    "1234.5678}, note={pwned", "A Title}, note={pwned", authors=("Mallory}, note={x",),
    links={"hf": "https://huggingface.co/papers/x(1)", "bad": "file:///etc/passwd", "opt": "--remote-debugging-port=9222"},
)
NO_AUTHORS = entry(
    "title:00aa11bb22cc33dd", "Widgets [link=https://x]y[/link] *bold* (no arXiv id)", byline="12 authors",
    links={"hf": "https://huggingface.co/papers/abc", "evil": "javascript:alert(1)"},
    source=Source("/digests/hf.json", "hf-json", date(2025, 12, 30)),
)
SPREADSHEET = entry(
    "title:ffee", '=HYPERLINK("http://evil","click")', authors=("+Plus", "-Minus"), note="@SUM(A1)",
    categories=("=cmd|' /C calc'!A0",), byline="\tTab", links={"hf": "https://huggingface.co/papers/f"},
)
OLD_STYLE = entry("hep-th/9901001", "Strings in 1999", authors=("A. Physicist",), links=arxiv("hep-th/9901001"))

ENTRIES = [LATEX_TITLE, UNICODE, TRUNCATED, ATOM_COLON, COLLAB, REPLACED, DANGEROUS, INJECTED_ID, NO_AUTHORS, SPREADSHEET, OLD_STYLE]
BIBTEX_FIELDS = {
    "title", "author", "key", "year", "month", "eprint", "archivePrefix", "primaryClass", "eprinttype", "url", "doi",
    "abstract", "annote",
}
BIBLATEX_FIELDS = {"title", "author", "key", "date", "eprint", "eprinttype", "eprintclass", "doi", "url", "abstract", "annotation"}


def by_id(pyb, entries=ENTRIES):
    keys = facts.keys(entries)
    return {e.id: pyb.entries[k] for k, e in zip(keys, entries)}


def test_formats() -> None:
    assert FORMATS == ("markdown", "bibtex", "biblatex", "ris", "csl-json", "csv", "json")
    with pytest.raises(ValueError, match="unknown export format 'xml'"):
        export(ENTRIES, "xml")
    for fmt in FORMATS:
        assert isinstance(export([], fmt), str)


def test_bibtex_reads_back_in_arxiv_style_with_doi_and_first_version_date() -> None:
    text = export(ENTRIES, "bibtex")
    pyb, _lib = read_bibtex(text)
    got = by_id(pyb)
    for e in ENTRIES:
        fields = got[e.id].fields
        assert set(fields) <= BIBTEX_FIELDS, (e.id, set(fields) - BIBTEX_FIELDS)
        assert all(bib_depth_ok(v) for v in fields.values())
    first = got["2601.01234"].fields
    assert first["eprint"] == "2601.01234" and first["archivePrefix"] == "arXiv" and first["primaryClass"] == "astro-ph.CO"
    assert first["doi"] == "10.48550/arXiv.2601.01234" and first["url"] == "https://arxiv.org/abs/2601.01234"
    assert (first["year"], first["month"]) == ("2026", "January")  # `month=jan`, BibTeX's macro
    assert first["annote"] == "read section 3 then the appendix"
    assert first["abstract"] == r"We bound $f_\mathrm{NL} < 5$ with 50\% less data."
    assert got["2503.03592"].fields["year"] == "2025" and got["2503.03592"].fields["month"] == "March"
    assert got["hep-th/9901001"].fields["year"] == "1999" and got["hep-th/9901001"].fields["doi"] == "10.48550/arXiv.hep-th/9901001"
    # arXiv's layout: six spaces, name={value}, comma after every field
    assert "@misc{example2026constraints100widgetsmore,\n      title={Constraints on" in text


def test_bibtex_title_keeps_maths_and_protects_capitals() -> None:
    pyb, _ = read_bibtex(export([LATEX_TITLE, ATOM_COLON, UNICODE], "bibtex"))
    papers = [LATEX_TITLE, ATOM_COLON, UNICODE]
    titles = {e.id: pyb.entries[k].fields["title"] for k, e in zip(facts.keys(papers), papers)}
    assert titles["2601.01234"] == r"Constraints on {$f_\mathrm{NL}$} from 100\% of {$\Sigma$}-Widgets \& More"
    assert titles["2607.09424"] == "{ChatGPT} on {Android}: Sentence case with proper nouns"
    # non-ASCII as LaTeX pdflatex knows; a title-case compound (`λ-Calculus`, `Model-Based`) is not protected
    assert titles["2601.02222"] == (
        r"{\ensuremath{\lambda}}-Calculus for {\ensuremath{\Sigma}}{\ensuremath{\beta}} Models by G{\"o}del's Method"
    )


@pytest.mark.parametrize("title, abstract, expected", [
    ("Porting Large Models to Android Phones", "We run models on phones running Android and iOS.",
     "Porting Large Models to {Android} Phones"),  # named alone, mid-sentence, in the abstract
    ("Conditional Random Fields Revisited", "We revisit Conditional Random Fields for tagging.",
     "Conditional Random Fields Revisited"),  # a title-case phrase, not a name
    ("Scaling Laws for Human-AI Teams and In-Context GPT-4 Agents", "", "Scaling Laws for {Human-AI} Teams and In-Context {GPT-4} Agents"),
    ("Bayesian inference on Jupiter with a transformer", "", "Bayesian inference on {Jupiter} with a transformer"),  # sentence case
])
def test_title_case_protection(title: str, abstract: str, expected: str) -> None:
    from tui.export.bibtex import title as bib_title

    assert bib_title(entry("2601.00001", title, abstract=abstract)) == expected


def test_bibtex_authors_people_organisations_and_others() -> None:
    pyb, _ = read_bibtex(export(ENTRIES, "bibtex"))
    got = by_id(pyb)
    trunc = got["2601.03333"].persons["author"]
    assert [str(p) for p in trunc] == ["Rao, Ramprasad", "Righini, Simona", "others"]
    colon = got["2607.09424"].persons["author"]
    assert [p.last_names for p in colon] == [["{The Soofi-Team}"], ["Zhao"]]  # ':' is nobody
    collab = got["2601.14235"].persons["author"]
    assert collab[0].last_names == ["{LSST Dark Energy Science Collaboration}"] and not collab[0].first_names
    assert collab[1].prelast_names == ["de"] and collab[1].last_names[-1] == "Romero"  # BibTeX's own split
    uni = got["2601.02222"].persons["author"]
    assert [str(p) for p in uni] == [r"{\L}ukasiewicz, Zo{\"e}", "van Sloun, Ruud J. G.", "D{a}browski, Jan"]  # ą: OT1 has no ogonek


def test_bibtex_neutralises_commands_and_cannot_be_injected() -> None:
    text = export([DANGEROUS, INJECTED_ID], "bibtex")
    pyb, lib = read_bibtex(text)
    for name in ("input", "include", "immediate", "write", "def", "catcode"):
        assert not re.search(rf"(?<!textbackslash{{}})(?<!\\mathrm{{)\\{name}\b", text), name
    assert "^^" not in text
    for e in pyb.entries.values():
        assert "note" not in e.fields and set(e.fields) <= BIBTEX_FIELDS
    injected = by_id(pyb, [DANGEROUS, INJECTED_ID])["1234.5678}, note={pwned"]
    assert "eprint" not in injected.fields  # not an arXiv id, so no eprint/doi
    assert "pwned" in injected.fields["title"] and "note" not in injected.fields
    for block in lib.entries:
        assert "note" not in block.fields_dict


def test_bibtex_keys_unique_stable_and_readable() -> None:
    keys = facts.keys(ENTRIES)
    assert len(set(keys)) == len(keys)
    assert all(re.fullmatch(r"[a-z][a-z0-9]*", k) for k in keys)
    assert keys[facts.keys(ENTRIES).index(keys[8])] == "widgets2025linkhttpsxylink"  # no author: title words lead
    assert keys[2] == "rao2026largesurveythings"
    twin = entry("2601.09999", TRUNCATED.title, authors=TRUNCATED.authors, links={})
    assert facts.keys([TRUNCATED, twin]) == ["rao2026largesurveythings", "rao2026largesurveythingsb"]
    assert facts.keys([twin, TRUNCATED]) == ["rao2026largesurveythingsb", "rao2026largesurveythings"]  # order-free


def test_biblatex_has_eprinttype_date_and_doi() -> None:
    pyb, _ = read_bibtex(export(ENTRIES, "biblatex"))
    got = by_id(pyb)
    for e in ENTRIES:
        assert set(got[e.id].fields) <= BIBLATEX_FIELDS
    first = got["2601.01234"].fields
    assert (first["eprinttype"], first["eprint"], first["eprintclass"]) == ("arxiv", "2601.01234", "astro-ph.CO")
    assert first["date"] == "2026-01-19" and first["doi"] == "10.48550/arXiv.2601.01234"
    assert first["annotation"] == "read section 3 then the appendix"
    assert got["2503.03592"].fields["date"] == "2025-03"
    assert got["title:00aa11bb22cc33dd"].fields["date"] == "2025-12-30"


def test_ris_reads_back_with_rispy() -> None:
    records = read_ris(export(ENTRIES, "ris"))
    assert len(records) == len(ENTRIES)
    first = records[0]
    assert first["type_of_reference"] == "UNPB" and first["doi"] == "10.48550/arXiv.2601.01234"
    assert first["authors"] == ["Example, Ann", "Sample, Ben", "Test, Cy"]
    assert first["title"] == LATEX_TITLE.title and first["year"] == "2026"
    assert first["abstract"] == LATEX_TITLE.abstract and first["urls"] == ["https://arxiv.org/abs/2601.01234"]
    assert first["notes"] == ["read section 3 then the appendix"] and first["note"] == "arXiv:2601.01234"  # N1, M1
    assert first["keywords"] == ["astro-ph.CO", "stat.ML"] and first["publisher"] == "arXiv"
    assert records[3]["authors"] == ["The Soofi-Team", "Zhao, Ada"]
    assert records[4]["authors"][0] == "LSST Dark Energy Science Collaboration"
    assert records[5]["date"] == "2025/03//"
    injected = records[7]
    assert injected["urls"] == ["https://huggingface.co/papers/x(1)"]


def test_csl_json_renders_every_item_with_citeproc() -> None:
    text = export(ENTRIES, "csl-json")
    items = json.loads(text)
    lines = render_csl(text)
    assert len(lines) == len(ENTRIES) and all(lines)
    first = items[0]
    assert first["type"] == "article" and first["DOI"] == "10.48550/arXiv.2601.01234"
    assert first["issued"] == {"date-parts": [[2026, 1, 19]]}
    assert first["note"] == LATEX_TITLE.note and first["abstract"] == LATEX_TITLE.abstract
    assert items[4]["author"][0] == {"literal": "LSST Dark Energy Science Collaboration"}
    assert items[4]["author"][1] == {"family": "de León Dominguez Romero", "given": "Mariano Javier"}
    assert items[5]["issued"] == {"date-parts": [[2025, 3]]}
    rendered = "\n".join(lines)
    assert "Example, A., Sample, B. and Test, C. (2026)" in rendered
    assert "https://doi.org/10.48550/arXiv.2601.01234" in rendered


def test_csv_is_defused_bom_first_and_ids_are_text() -> None:
    rows = read_csv(export(ENTRIES, "csv"))  # the oracle fails on any formula start
    assert [r["id"] for r in rows][:2] == ["arXiv:2601.01234", "arXiv:2601.02222"]
    evil = rows[ENTRIES.index(SPREADSHEET)]
    assert evil["title"] == "'=HYPERLINK(\"http://evil\",\"click\")"
    assert evil["categories"] == "'=cmd|' /C calc'!A0" and evil["note"] == "'@SUM(A1)" and evil["byline"] == "'\tTab"
    assert evil["authors"] == "'+Plus; -Minus"
    assert rows[0]["note"] == "read section 3\nthen the appendix" and rows[0]["doi"] == "10.48550/arXiv.2601.01234"
    assert rows[0]["abstract"] == LATEX_TITLE.abstract and rows[5]["published"] == "2025-03"


def test_markdown_keeps_maths_and_links_only_http() -> None:
    md = export([LATEX_TITLE, NO_AUTHORS, INJECTED_ID], "markdown")
    lines = md.splitlines()
    assert lines[0] == (
        r"- [ ] [Constraints on $f_\mathrm{NL}$ from 100% of $\Sigma$-Widgets & More](https://arxiv.org/abs/2601.01234)"
        " — Ann Example et al. · 2026-01-19 · arXiv:2601.01234 · reading"
    )
    assert lines[1:3] == ["  > read section 3", "  > then the appendix"]
    assert r"  We bound $f_\mathrm{NL} < 5$ with 50% less data." in lines
    assert r"[Widgets \[link=https://x\]y\[/link\] \*bold\* (no arXiv id)](https://huggingface.co/papers/abc)" in md
    assert "(https://huggingface.co/papers/x%281%29)" in md
    assert "javascript" not in md and "file://" not in md and "--remote" not in md


def test_only_http_links_leave_in_any_format() -> None:
    assert sorted(u for _, u in unsafe_links(ENTRIES)) == ["--remote-debugging-port=9222", "file:///etc/passwd", "javascript:alert(1)"]
    for fmt in FORMATS:
        out = export(ENTRIES, fmt)
        assert "file:///etc" not in out and "javascript:" not in out and "remote-debugging" not in out, fmt


def test_json_for_scripts() -> None:
    items = json.loads(export(ENTRIES, "json"))
    assert [i["id"] for i in items] == [e.id for e in ENTRIES]
    assert items[0]["source"] == {"path": "/digests/2026-01-20.txt", "format": "arxiv-email", "date": "2026-01-20"}
    assert items[0]["doi"] == "10.48550/arXiv.2601.01234" and items[7]["links"] == {"hf": "https://huggingface.co/papers/x(1)"}


@pytest.mark.parametrize("text", [
    "plain", "a {b} c", "}{", "\\", "x}", "$a$ and $b", r"\textbf{x", r"$\frac{a}{b}$ ok", "^^5c^^^", "%&#_~^$",
])
def test_tex_values_always_balance(text: str) -> None:
    for out in (tex.value(text), tex.plain(text)):
        assert bib_depth_ok(out), (text, out)
        assert "^^" not in out


def test_arxiv_month() -> None:
    assert facts.arxiv_month("2503.03592") == (2025, 3)
    assert facts.arxiv_month("0704.0001") == (2007, 4)
    assert facts.arxiv_month("math.AG/0601001") == (2006, 1)
    assert facts.arxiv_month("hep-th/9912001") == (1999, 12)
    assert facts.arxiv_month("2513.00001") is None and facts.arxiv_month(None) is None


@pytest.mark.skipif(not (shutil.which("pdflatex") and shutil.which("bibtex")), reason="no TeX installed (CI need not have it)")
def test_pdflatex_and_plain_bst_compile_every_fixture(tmp_path) -> None:
    from benchmarks.tex_compile import PREAMBLES, compile_once

    result = compile_once(tmp_path, export(ENTRIES, "bibtex"), PREAMBLES["latex"])
    assert (result["latex_errors"], result["bibtex_errors"], result["bibtex_warnings"]) == (0, 0, 0), result["first_error"]
    assert result["pages"] >= 1
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert "(/etc/passwd" not in log  # \input never ran (TeX logs every file it opens)
    bbl = (tmp_path / "doc.bbl").read_text()
    assert r"\textbackslash{}input" in bbl and "\\immediate" not in bbl.replace(r"\textbackslash{}immediate", "")


def pandoc_problems(stderr: str) -> list[str]:
    """pandoc's messages, except that it shows the (neutralised) `\\catcode` maths of DANGEROUS as TeX."""
    return [line for line in stderr.splitlines() if line.startswith("[") and "Could not convert TeX math" not in line]


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc not installed (CI need not have it)")
@pytest.mark.parametrize("fmt, reader", [("csl-json", "csljson"), ("bibtex", "bibtex"), ("biblatex", "biblatex")])
def test_pandoc_reads_and_cites_every_entry(tmp_path, fmt: str, reader: str) -> None:
    import subprocess

    refs = tmp_path / f"refs.{'json' if fmt == 'csl-json' else 'bib'}"
    refs.write_text(export(ENTRIES, fmt), encoding="utf-8")
    doc = tmp_path / "doc.md"
    doc.write_text('---\nnocite: "@*"\n---\n\n# References\n')
    html = subprocess.run(["pandoc", str(doc), "--citeproc", "--bibliography", str(refs), "-t", "html"],
                          capture_output=True, text=True, timeout=60)
    assert html.returncode == 0 and pandoc_problems(html.stderr) == []
    assert html.stdout.count('class="csl-entry"') == len(ENTRIES)
    parsed = subprocess.run(["pandoc", "-f", reader, "-t", "csljson", str(refs)], capture_output=True, text=True, timeout=60)
    items = json.loads(parsed.stdout)
    assert pandoc_problems(parsed.stderr) == [] and len(items) == len(ENTRIES)
    first = next(i for i in items if i.get("DOI") == "10.48550/arXiv.2601.01234")
    assert first["issued"]["date-parts"][0][:2] == [2026, 1]
