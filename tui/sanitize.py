"""Make digest text safe to show: no escape sequences or control characters, ever.

Digest text is untrusted. It is cleaned once, at ingestion, so no later path (UI, CLI, export)
can send a terminal an escape sequence. Markup safety is a separate concern handled where text
is rendered (as `rich.text.Text` / `textual.content.Content`, never parsed as markup).
"""

from __future__ import annotations

import re

# ANSI/VT sequences: CSI (ESC [ or 8-bit 0x9b) ... final byte; OSC (ESC ] or 0x9d) ... BEL/ST;
# DCS/SOS/PM/APC strings; and two-byte ESC sequences.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)"
    r"|\x1b[ -/]*[0-~]",
    re.DOTALL,
)
# C0 controls except tab and newline, DEL, C1 controls; plus a carriage return (CRLF is
# normalised before parsing, a lone CR would rewind the terminal's cursor).
# Bidirectional overrides and isolates (U+202A-202E, U+2066-2069) are removed too: they can
# make displayed text read differently from what it is ("Trojan Source").
_BIDI = "\u202a-\u202e\u2066-\u2069"
_CONTROLS = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BIDI}]")
_CONTROLS_NO_NL = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_BIDI}]")
_ANY_BAD = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BIDI}]")
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """Remove escape sequences and control characters, keeping tab and newline.

    Fast path: most text has nothing to remove, and one `search` over it is cheap.
    """
    if not _ANY_BAD.search(text):
        return text
    text = text.replace("\r\n", "\n")
    text = _ESCAPES.sub("", text)
    return _CONTROLS.sub("", text)


def clean_line(text: str) -> str:
    """Clean, and fold all whitespace (including newlines) to single spaces: for titles, names."""
    if text.isprintable() and "  " not in text:  # common case: nothing to clean or fold
        return text.strip()
    return " ".join(clean(text).split())


def clean_block(text: str) -> str:
    """Clean and join hard-wrapped lines into one paragraph per blank-line-separated block."""
    if text.isprintable() and "  " not in text:  # one clean line: nothing to join
        return text.strip()
    text = clean(text)
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def has_controls(text: str) -> bool:
    """True if text still holds anything `clean` would remove (used by tests and asserts)."""
    return bool(_CONTROLS_NO_NL.search(text.replace("\n", "").replace("\t", "")))


_URL = re.compile(r"https?://[^\s<>\"'\])}]+[^\s<>\"'\])}.,;:!?]")


def find_urls(text: str) -> list[str]:
    """URLs mentioned in an abstract, in order, without duplicates."""
    seen: dict[str, None] = {}
    for m in _URL.finditer(text):
        seen.setdefault(m.group(0), None)
    return list(seen)
