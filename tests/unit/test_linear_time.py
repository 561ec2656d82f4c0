"""Every parser (and the decoding and cleaning before it) runs in linear time on adversarial lines.

Each hostile pattern is put in each place of each format at 5k and at 100k characters. Linear work
grows 20x; the bound allows 200x (10x headroom for a noisy machine), while a quadratic blow-up
grows 400x and more (a 60k-digit HF date line took 20 s, 60k nested parentheses in an e-mail
`Authors:` line 19 s). These guard against blow-ups, not machine speed: speed budgets live in
tests/benchmarks.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tui.loader import decode
from tui.parsers import parse_text

SMALL, BIG = 5_000, 100_000
FLOOR = 0.002  # seconds: below this a small run is timer noise


def _rep(unit: str) -> Callable[[int], str]:
    return lambda n: (unit * (n // len(unit) + 1))[:n]


PATTERNS: dict[str, Callable[[int], str]] = {
    "digits": _rep("1"),
    "spaces-then-x": lambda n: " " * (n - 1) + "x",
    "open-parens": _rep("("),
    "close-parens": _rep(")"),
    "nested-parens": lambda n: "(" * (n // 2) + "A" + ")" * (n // 2),
    "words": _rep("ab "),
    "sentences": _rep("a. "),
    "commas-and": _rep("a, and "),
    "latex-accents": _rep("\\'e"),
    "braces": lambda n: "{\\i" * (n // 6) + "}" * (n // 6),
    "dollars": _rep("$x"),
    "urls": _rep("https://x.org/a_(b"),
    "middle-dots": _rep("·"),
    "bullets": _rep("• 1 "),
    "arxiv-ids": _rep("arXiv:2601.0"),
    "dashes": _rep("-"),
    "date-like": _rep("Feb 2, 2024 "),
    "mojibake": _rep("Ã©"),
    "c1-controls": _rep("\u009d"),
    "escapes": _rep("\x1b[1"),
    "backslashes": _rep("\\\\"),
}


def _hf_text(slot: str) -> Callable[[str], str]:
    parts = {"title": "T", "abstract": "A.", "byline": "  • 3 authors", "date": "Feb 2", "page-date": "Oct 31"}
    def build(value: str) -> str:
        p = {**parts, slot: value}
        return (f"Daily Papers\n\n{p['page-date']}\n\n{p['title']}\n\n{p['abstract']}\n\n{p['byline']}\n·\n"
                f"{p['date']}\n\nNext title\n\nNext abstract.\n")
    return build


def _email(slot: str) -> Callable[[str], str]:
    parts = {"id": "2601.00001", "date": "Mon, 12 Jan 2026 20:33:39 GMT   (215kb)", "title": "T", "authors": "A B",
             "categories": "cs.AI", "comments": "5 pages", "abstract": "  Abstract.", "header": "cs"}
    def build(value: str) -> str:
        p = {**parts, slot: value}
        entry = (f"\\\\\narXiv:{p['id']}\nDate: {p['date']}\n\nTitle: {p['title']}\nAuthors: {p['authors']}\n"
                 f"Categories: {p['categories']}\nComments: {p['comments']}\n\\\\\n{p['abstract']}\n"
                 "\\\\ ( https://arxiv.org/abs/2601.00001 ,  1kb)\n")
        return f"Submissions to: {p['header']}\nreceived from Fri 16 Jan 26 19:00:00 GMT to Tue 20 Jan 26 19:00:00 GMT\n" \
               + "-" * 78 + "\n" + entry + "-" * 78 + "\n" + entry.replace("00001", "00002")
    return build


def _atom(slot: str) -> Callable[[str], str]:
    parts = {"id": "http://arxiv.org/abs/2601.00001v1", "title": "T", "summary": "S", "name": "A B",
             "published": "2026-01-12T00:00:00Z", "href": "http://arxiv.org/abs/2601.00001v1"}
    def build(value: str) -> str:
        from xml.sax.saxutils import escape
        p = {**parts, slot: escape(value)}
        return ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry>'
                f"<id>{p['id']}</id><title>{p['title']}</title><summary>{p['summary']}</summary>"
                f"<author><name>{p['name']}</name></author><published>{p['published']}</published>"
                f"<link href=\"{p['href']}\" rel=\"alternate\"/></entry></feed>\n")
    return build


def _rss(slot: str) -> Callable[[str], str]:
    parts = {"title": "T", "description": "arXiv:2601.00001v1 Announce Type: new Abstract: A.", "creator": "A B"}
    def build(value: str) -> str:
        from xml.sax.saxutils import escape
        p = {**parts, slot: escape(value)}
        return ('<?xml version="1.0"?><rss xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
                "<link>http://rss.arxiv.org/rss/cs.LG</link><item>"
                f"<title>{p['title']}</title><link>https://arxiv.org/abs/2601.00001</link>"
                f"<description>{p['description']}</description><dc:creator>{p['creator']}</dc:creator>"
                "</item></channel></rss>\n")
    return build


def _hf_json(slot: str) -> Callable[[str], str]:
    def build(value: str) -> str:
        paper = {"id": "2601.00001", "title": "T", "summary": "S", "authors": [{"name": "A B"}],
                 "publishedAt": "2026-01-12T00:00:00.000Z", "upvotes": 1}
        item = {"title": "T", "summary": "S", "publishedAt": "2026-01-12T00:00:00.000Z", "paper": paper}
        if slot == "name":
            paper["authors"] = [{"name": value}]
        else:
            paper[slot] = item[slot] = value
        return json.dumps([item])
    return build


FORMATS: dict[str, tuple[Callable[[str], Callable[[str], str]], tuple[str, ...]]] = {
    "hf-text": (_hf_text, ("title", "abstract", "byline", "date", "page-date")),
    "arxiv-email": (_email, ("id", "date", "title", "authors", "categories", "comments", "abstract", "header")),
    "arxiv-atom": (_atom, ("id", "title", "summary", "name", "published", "href")),
    "arxiv-rss": (_rss, ("title", "description", "creator")),
    "hf-json": (_hf_json, ("title", "summary", "name", "publishedAt", "id")),
}


def _load_seconds(text: str) -> float:
    data = text.encode("utf-8")
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        parse_text(decode(data, []), Path("adversarial.txt"))
        best = min(best, time.perf_counter() - t0)
    return best


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_place_of_every_format_is_linear_on_hostile_lines(fmt: str) -> None:
    make, slots = FORMATS[fmt]
    slow: list[str] = []
    for slot in slots:
        build = make(slot)
        for name, pattern in PATTERNS.items():
            small = max(_load_seconds(build(pattern(SMALL))), FLOOR)
            big = _load_seconds(build(pattern(BIG)))
            if big > small * (BIG / SMALL) * 10:
                big = _load_seconds(build(pattern(BIG)))  # one retry: a busy machine, not the parser
                if big > small * (BIG / SMALL) * 10:
                    slow.append(f"{slot}/{name}: {small * 1e3:.1f} ms at 5k, {big * 1e3:.0f} ms at 100k")
    assert not slow, slow
