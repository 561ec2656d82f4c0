"""The arXiv Atom/RSS parser: real feeds, invented edge cases, hostile XML, fuzzing."""

from __future__ import annotations

import socket
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES, REPO, shared_path
from tui.model import Format, Kind
from tui.parsers import arxiv_xml
from tui.parsers.common import latex_to_unicode
from tui.sanitize import clean_line, has_controls

REAL_DIR = ("realdata", "arxiv_feed_xml")
# file -> (format, entries, first id, last id, digest date)
REAL = {
    "aiweeklyradar_arxiv_feed.xml": (Format.ARXIV_ATOM, 50, "2607.09662", "2607.09417", date(2026, 7, 13)),
    "arxivpy_2016_id_list_1111.2011v2.xml": (Format.ARXIV_ATOM, 1, "1111.2011", "1111.2011", date(2016, 10, 9)),
    "arxivpy_2016_search_au_del_maestro.xml": (Format.ARXIV_ATOM, 10, "1201.4869", "0807.2873", date(2016, 10, 9)),
    "arxivpy_2026_query_testing_m100.xml": (Format.ARXIV_ATOM, 100, "2202.12139", "gr-qc/0103067", date(2026, 4, 12)),
    "brevio_api_cs_LG_AI.xml": (Format.ARXIV_ATOM, 20, "2604.26951", "2604.26835", date(2026, 4, 30)),
    "personalnewsfeed_arxiv.xml": (Format.ARXIV_ATOM, 25, "2607.28628", "2607.28527", date(2026, 8, 2)),
    "sotawhat_arxiv_transformer.xml": (Format.ARXIV_ATOM, 5, "2606.13677", "2606.13501", date(2026, 6, 14)),
    "distill_rss_arxiv_cs_AI.xml": (Format.ARXIV_RSS, 3, "2604.21935", "2604.21937", date(2026, 4, 27)),
    "distill_rss_arxiv_cs_CL.xml": (Format.ARXIV_RSS, 3, "2604.22002", "2604.22038", date(2026, 4, 27)),
    "distill_rss_arxiv_cs_LG.xml": (Format.ARXIV_RSS, 3, "2604.21952", "2604.21956", date(2026, 4, 27)),
}


def load(path: Path):
    return arxiv_xml.parse(path.read_text(encoding="utf-8"), path)


def real(name: str):
    return load(shared_path(*REAL_DIR, name))


def fixture(name: str):
    return load(FIXTURES / "arxiv_xml" / name)


def messages(result) -> list[str]:
    return [str(d) for d in result.digest.diagnostics]


# --- real feeds -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(REAL))
def test_real_feed_loads_every_entry_cleanly(name: str) -> None:
    fmt, count, first, last, day = REAL[name]
    text = shared_path(*REAL_DIR, name).read_text(encoding="utf-8")
    assert arxiv_xml.sniff(text)
    result = real(name)
    assert result.digest.diagnostics == []
    assert result.digest.format is fmt
    assert len(result.papers) == count
    assert (result.papers[0].id, result.papers[-1].id) == (first, last)
    assert result.digest.paper_ids == [p.id for p in result.papers]
    assert result.digest.date == day
    for p in result.papers:
        assert p.title and "\n" not in p.title
        assert p.abstract and "\n" not in p.abstract
        assert p.authors and p.categories
        assert p.links["arxiv"] == f"https://arxiv.org/abs/{p.id}"
        assert p.links["pdf"].endswith(p.id) or "/pdf/" + p.id + "v" in p.links["pdf"]


def test_real_totals() -> None:
    atom = sum(len(real(n).papers) for n, spec in REAL.items() if spec[0] is Format.ARXIV_ATOM)
    rss = sum(len(real(n).papers) for n, spec in REAL.items() if spec[0] is Format.ARXIV_RSS)
    assert (atom, rss) == (211, 9)


def test_real_2016_wrapped_title_and_summary_are_joined() -> None:
    (p,) = real("arxivpy_2016_id_list_1111.2011v2.xml").papers
    assert p.title == ("Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large "
                       "Connectivity Limit")
    assert p.abstract.startswith("Theoretical description of anisotropic systems, such as layered "
                                 "superconductors and coupled spin chains, is often")
    assert p.authors == ("James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic")
    assert p.categories == ("cond-mat.str-el", "cond-mat.stat-mech")
    assert p.comments == "8 pages, 3 figures. Published version"
    assert p.published == date(2011, 11, 8)
    assert p.kind is Kind.NEW
    assert p.links["pdf"] == "http://arxiv.org/pdf/1111.2011v2"
    assert p.links["doi"] == "http://dx.doi.org/10.1103/PhysRevB.85.115117"


def test_real_old_style_ids() -> None:
    ids = [p.id for p in real("arxivpy_2016_search_au_del_maestro.xml").papers]
    assert ids[1] == "cond-mat/0412498"
    assert sum("/" in i for i in ids) == 4
    p = real("arxivpy_2026_query_testing_m100.xml").papers[51]
    assert (p.id, p.links["arxiv"]) == ("cs/0503050", "https://arxiv.org/abs/cs/0503050")
    assert p.links["pdf"] == "https://arxiv.org/pdf/cs/0503050v1"


def test_real_2026_entry_fields() -> None:
    p = real("brevio_api_cs_LG_AI.xml").papers[0]
    assert p.id == "2604.26951"
    assert p.title.startswith("Turning the TIDE: Cross-Architecture Distillation")
    assert p.categories == ("cs.CL", "cs.AI", "cs.LG")
    assert len(p.authors) == 4
    assert p.comments == "15 pages, 3 figures. Code: https://github.com/PKU-YuanGroup/TIDE"
    assert p.published == date(2026, 4, 29)
    assert real("aiweeklyradar_arxiv_feed.xml").papers[0].categories == (
        "q-bio.NC", "cs.AI", "cs.LG", "eess.SP", "math.AT")


def test_real_rss_items() -> None:
    result = real("distill_rss_arxiv_cs_AI.xml")
    first = result.papers[0]
    assert first.title == "Math Takes Two: A test for emergent mathematical reasoning in communication"
    assert first.authors == ("Michael Cooper", "Samuel Cooper")
    assert first.categories == ("cs.AI", "cs.LG")
    assert first.kind is Kind.NEW
    assert first.abstract.startswith("Although language models demonstrate remarkable proficiency")
    assert first.published == date(2026, 4, 27)
    assert len(result.papers[1].authors) == 18
    # a double space inside the creator list does not make an empty or padded name
    assert real("distill_rss_arxiv_cs_CL.xml").papers[0].authors == (
        "Anamta Khan", "Ratna Kandala", "Deepti", "Sheza Munir", "Joyojeet Pal")
    assert all(p.kind is Kind.NEW for p in real("distill_rss_arxiv_cs_LG.xml").papers)


# --- invented fixtures and samples ----------------------------------------------------------

def test_sample_feed_loads() -> None:
    result = load(REPO / "tui" / "samples" / "arxiv-feed-2026-11-18.xml")
    assert result.digest.diagnostics == []
    assert result.digest.format is Format.ARXIV_ATOM
    assert len(result.papers) == 6
    assert result.digest.date == date(2026, 11, 18)
    assert result.papers[0].comments == "10 pages, 2 figures"


def test_minimal_atom() -> None:
    result = fixture("minimal-atom.xml")
    assert messages(result) == []
    assert result.digest.format is Format.ARXIV_ATOM
    assert result.digest.date == date(2026, 11, 18)
    wrapped, old, bare = result.papers
    assert wrapped.id == "2611.04417"
    assert wrapped.title == ("Slow Winds from Fast Quasars: Outflow Energetics in the "
                             "Low-Redshift Universe")
    assert wrapped.abstract == (
        "We measure the kinetic power of ionised outflows in a sample of nearby quasars and find it "
        "falls well short of what feedback models require. Spectra and code: "
        "https://github.com/invented-astro/slow-winds.")
    assert wrapped.authors == ("Ingrid Halvorsen", "Tomás Ibarra")  # affiliation not a name
    assert wrapped.categories == ("astro-ph.GA", "astro-ph.CO")  # primary first
    assert wrapped.comments == "14 pages, 6 figures"
    assert wrapped.published == date(2026, 11, 3)
    assert wrapped.links == {
        "arxiv": "https://arxiv.org/abs/2611.04417",
        "pdf": "http://arxiv.org/pdf/2611.04417v2",
        "github": "https://github.com/invented-astro/slow-winds",
    }
    # entities decoded, the C1 escape (&#x9b;) removed, pdf link derived when the feed has none
    assert old.id == "hep-th/9912345"
    assert old.title == "Strings on a Lattice & Other <Discrete> Matters"
    assert old.abstract == "An invented old-style abstract with an escape in it."
    assert old.links["pdf"] == "https://arxiv.org/pdf/hep-th/9912345"
    assert bare.title == "A Title in CDATA with <angle> brackets"
    assert (bare.authors, bare.author_count, bare.categories, bare.comments) == ((), None, (), None)


def test_minimal_rss_with_all_four_announce_types() -> None:
    result = fixture("minimal-rss.xml")
    assert messages(result) == []
    assert result.digest.format is Format.ARXIV_RSS
    assert result.digest.date == date(2026, 11, 18)
    assert [(p.id, p.kind) for p in result.papers] == [
        ("2611.15001", Kind.NEW),
        ("2611.14702", Kind.CROSS_LIST),
        ("2510.09876", Kind.REPLACED),
        ("2509.01234", Kind.REPLACED),
    ]
    new = result.papers[0]
    assert new.authors == ("Aurelia Voss", "Benedikt Krahl", "Chiamaka Eze")
    assert new.categories == ("cs.DL", "cs.IR")
    assert new.abstract == ("Living reviews are updated for years. We track how their citations "
                            "drift and release the tracker at https://drift.example.org/tool.")
    assert new.links["url1"] == "https://drift.example.org/tool"
    assert result.papers[3].abstract == "A replaced cross-listed abstract with an escape inside."


def test_truncated_xml_reports_position_and_keeps_complete_entries() -> None:
    result = fixture("truncated.xml")
    assert [p.id for p in result.papers] == ["2611.04417", "hep-th/9912345"]
    (error,) = result.digest.diagnostics
    assert error.level == "error" and error.line == 46
    assert "malformed XML" in error.message and "line 46, column 11" in error.message
    assert result.digest.format is Format.ARXIV_ATOM and not result.digest.failed


def test_billion_laughs_is_refused_without_expanding() -> None:
    result = fixture("billion-laughs.xml")
    assert result.papers == [] and result.digest.failed
    assert messages(result) == [
        "error: refused: the document declares XML entities (possible entity-expansion attack)"]


def test_external_entities_are_refused_and_nothing_is_read(tmp_path: Path, monkeypatch) -> None:
    def no_network(*args, **kwargs):
        raise AssertionError("the parser tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    text = (FIXTURES / "arxiv_xml" / "external-entity.xml").read_text().replace(
        "file:///etc/passwd", secret.as_uri())
    result = arxiv_xml.parse(text, Path("xxe.xml"))
    assert result.papers == [] and result.digest.failed
    assert "refused" in messages(result)[0]
    assert fixture("external-entity.xml").digest.failed


def test_internal_subset_without_entities_is_refused_too() -> None:
    text = '<?xml version="1.0"?>\n<!-- <!DOCTYPE feed> -->\n<!DOCTYPE feed [ <!ATTLIST feed a CDATA "x"> ]>\n<feed/>'
    result = arxiv_xml.parse(text, Path("dtd.xml"))
    assert messages(result) == [
        "error: refused: a DOCTYPE with an internal subset at line 3 (arXiv feeds have none)"]
    assert "unreadable DOCTYPE at line 1" in messages(arxiv_xml.parse('<!DOCTYPE feed SYSTEM "x', Path("x")))[0]


@pytest.mark.parametrize("before", ["", "!", "Wow! " * 3, "!" * 100, "a!b" * 70])
def test_declarations_are_found_after_any_number_of_exclamation_marks(before: str) -> None:
    for decl, says in (('<!DOCTYPE feed [ <!ATTLIST feed a CDATA "x"> ]>', "internal subset"),
                       ('<!ENTITY x "y">', "declares XML entities")):
        text = f"<?xml version='1.0'?>{before}{decl}<feed/>"
        assert says in messages(arxiv_xml.parse(text, Path("x.xml")))[0]
        assert says in messages(arxiv_xml.parse(decl + before, Path("x.xml")))[0]
    assert arxiv_xml._refuse_dtd(before + "<feed>!</feed>") is None


def test_external_dtd_is_never_fetched(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", lambda *a, **k: pytest.fail("network used"))
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY leak "LEAKED-FROM-DTD">')
    for doctype in (f'<!DOCTYPE feed SYSTEM "{dtd.as_uri()}">',
                    '<!DOCTYPE feed PUBLIC "-//Invented//EN" "http://127.0.0.1:9/x.dtd">'):
        text = (f'<?xml version="1.0"?>\n{doctype}\n<feed xmlns="http://www.w3.org/2005/Atom">'
                "<id>http://arxiv.org/api/x</id><entry><id>http://arxiv.org/abs/2611.00005v1</id>"
                "<title>Plain</title></entry>"
                "<entry><id>http://arxiv.org/abs/2611.00006v1</id><title>&leak;</title></entry></feed>")
        result = arxiv_xml.parse(text, Path("dtd.xml"))
        assert [p.title for p in result.papers] == ["Plain"]
        assert "undefined entity &leak;" in messages(result)[0]


def test_not_arxiv_rss() -> None:
    result = fixture("not-arxiv-rss.xml")
    assert result.papers == [] and result.digest.failed
    assert result.digest.format is None
    assert messages(result) == [
        "error: not an arXiv feed: RSS channel 'Weeknight Soups' has no arXiv items"]


@pytest.mark.parametrize("text, expected", [
    ('<feed xmlns="http://www.w3.org/2005/Atom"><title>A Blog</title><id>urn:x</id>'
     "<entry><id>urn:y</id><title>Post</title></entry></feed>",
     "not an arXiv feed: Atom feed 'A Blog' has no arXiv ids"),
    ("<?xml version='1.0'?><html><body>hi</body></html>",
     "not an arXiv feed: the root element is <html>, not an Atom <feed> or RSS <rss>"),
    ('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
     "not an arXiv feed this reader knows: RSS 1.0 (RDF) is not supported"),
    ("", "malformed XML (no element found) at line 1, column 0; read 0 complete entries before it"),
])
def test_other_xml_is_an_error(text: str, expected: str) -> None:
    result = arxiv_xml.parse(text, Path("x.xml"))
    assert result.papers == [] and result.digest.failed
    assert expected in messages(result)[-1]


def test_arxiv_api_error_response() -> None:
    result = fixture("api-error.xml")
    assert result.papers == [] and result.digest.failed
    assert messages(result) == ["error: arXiv API error: incorrect id format for 2611.9"]


def test_sniff() -> None:
    assert arxiv_xml.sniff("<?xml version='1.0'?><feed/>")
    assert arxiv_xml.sniff("\n  <feed xmlns='http://www.w3.org/2005/Atom'>")
    assert arxiv_xml.sniff("<rss version='2.0'>")
    assert not arxiv_xml.sniff("<feedback>not a feed</feedback>")
    assert not arxiv_xml.sniff('[{"paper": {}}]')
    assert not arxiv_xml.sniff("Daily Papers\n<feed")


# --- robustness -----------------------------------------------------------------------------

xml_tokens = st.sampled_from([
    "<?xml version='1.0'?>", '<feed xmlns="http://www.w3.org/2005/Atom">', "</feed>",
    "<rss>", "</rss>", "<channel>", "</channel>", "<item>", "</item>", "<entry>", "</entry>",
    "<id>", "</id>", "http://arxiv.org/abs/2611.00001v1", "<title>", "</title>", "<summary>",
    "</summary>", "<description>", "</description>", "arXiv:2611.00002 Announce Type: cross ",
    "Abstract: x", "<author><name>", "</name></author>", '<category term="cs.LG"/>',
    '<link title="pdf" href="javascript:x"/>', "<dc:creator xmlns:dc='http://purl.org/dc/elements/1.1/'>",
    "</dc:creator>", "&amp;", "&#x9b;", "&#0;", "<![CDATA[", "]]>", "<!DOCTYPE feed", "[", "]>",
    "<!ENTITY", "<pubDate>", "</pubDate>", "Mon, 99 Foo 2026", "<updated>", "</updated>",
    "2026-13-45", ",", " ", "\n",
])


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_and_sniff_never_raise_on_any_text(text: str) -> None:
    arxiv_xml.sniff(text)
    result = arxiv_xml.parse(text, Path("any.xml"))
    assert result.digest.paper_ids == [p.id for p in result.papers]


@settings(max_examples=400, deadline=None)
@given(st.lists(xml_tokens | st.text(max_size=5), max_size=40))
def test_never_raises_on_xml_shaped_text_and_output_is_clean(parts: list[str]) -> None:
    result = arxiv_xml.parse("".join(parts), Path("shaped.xml"))
    for p in result.papers:
        assert p.title and not has_controls(p.title) and "\n" not in p.title
        assert not has_controls(p.abstract)
        assert all(a and not has_controls(a) for a in p.authors)
        assert all(u.startswith(("https://", "http://")) for u in p.links.values())



@given(st.lists(st.text(max_size=12), max_size=6), st.booleans())
def test_batch_name_cleaning_matches_one_by_one(values: list[str], unique: bool) -> None:
    expected = [n for n in (clean_line(latex_to_unicode(v)) for v in values) if n]
    if unique:
        expected = list(dict.fromkeys(expected))
    assert arxiv_xml._names(values, unique) == tuple(expected)


def test_two_authors_with_the_same_name_are_both_kept() -> None:
    text = ('<rss><channel><link>http://rss.arxiv.org/rss/cs.LG</link><item><title>T</title>'
            "<description>arXiv:2611.00007v1 Announce Type: new Abstract: A.</description>"
            "<dc:creator xmlns:dc='http://purl.org/dc/elements/1.1/'>Wei Zhang, Wei Zhang</dc:creator>"
            "<category>cs.LG</category><category>cs.LG</category></item></channel></rss>")
    (p,) = arxiv_xml.parse(text, Path("x.xml")).papers
    assert (p.authors, p.categories) == (("Wei Zhang", "Wei Zhang"), ("cs.LG",))
