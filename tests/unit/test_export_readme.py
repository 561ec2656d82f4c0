"""The README's export examples are what papertray writes for the entry below, byte for byte."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from tui.export import FORMATS, export
from tui.queue import QueueEntry, Source

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
T = datetime(2026, 1, 21, 9, 30, tzinfo=timezone.utc)
EXAMPLE = QueueEntry(
    id="2503.03592", title=r"Bounding $f_\mathrm{NL}$ with ChatGPT: Gödel Was Right",
    added=T, updated=T, status="reading", note="check eq. 4", published=date(2026, 1, 20),
    byline="Zoë Łukasiewicz, LSST Dark Energy Science Collaboration",
    authors=("Zoë Łukasiewicz", "LSST Dark Energy Science Collaboration", "et al."),
    categories=("astro-ph.CO",), abstract=r"We bound $f_\mathrm{NL}$.",
    links={"arxiv": "https://arxiv.org/abs/2503.03592"},
    source=Source("/home/me/digests/2026-01-20.txt", "arxiv-email", date(2026, 1, 20)),
)


def readme_block(fmt: str) -> str:
    m = re.search(rf"<!-- export-example: {re.escape(fmt)} -->\n```\w*\n(.*?)```\n", README, re.DOTALL)
    assert m, f"README has no example for {fmt}"
    return m.group(1)


@pytest.mark.parametrize("fmt", FORMATS)
def test_readme_example_is_the_real_output(fmt: str) -> None:
    assert readme_block(fmt) == export([EXAMPLE], fmt).lstrip("\ufeff").replace("\r\n", "\n")
