"""Make digest text safe to show: no escape sequences or control characters, ever.

Digest text is untrusted. It is cleaned once, at ingestion, so no later path (UI, CLI, export)
can send a terminal an escape sequence. Markup safety is a separate concern handled where text
is rendered (as `rich.text.Text` / `textual.content.Content`, never parsed as markup).

The cleaning rule (README, "Text cleaning"): a *complete* escape sequence is removed whole; any
other control character is removed alone. Complete means, and only means:

* CSI: `ESC [` or U+009B, parameter bytes `0-?`, intermediate bytes ` -/`, one final byte `@-~`;
* a string (OSC `ESC ]`/U+009D, DCS `ESC P`/U+0090, SOS `ESC X`/U+0098, PM `ESC ^`/U+009E,
  APC `ESC _`/U+009F) whose body holds no control character and none of the characters that
  delimit fields in digests (`"`, `<`, `>`), ended by BEL, `ESC \\` or U+009C;
* `ESC` + intermediates ` -/` + a final byte (`ESC ( B`), or `ESC` + one of `0-9 = < > \\`.

So cleaning never crosses a line or a field, and an unterminated sequence, a lone C1 character
(U+0090, U+009D... are common in double-decoded UTF-8) or a lone ESC removes only itself: the
letters after a lone ESC stay.
"""

from __future__ import annotations

import re

_STRING_BODY = '[^\\x00-\\x1f\\x7f-\\x9f"<>]*'
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    rf"|(?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f]){_STRING_BODY}(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -/]+[0-~]"
    r"|\x1b[0-9=<>\\]"
)
# C0 controls except tab and newline, DEL, C1 controls; plus a carriage return (CRLF is
# normalised before parsing, a lone CR would rewind the terminal's cursor).
# Bidirectional overrides and isolates (U+202A-202E, U+2066-2069) are removed too: they can
# make displayed text read differently from what it is ("Trojan Source").
_BIDI = "\u202a-\u202e\u2066-\u2069"
_CONTROLS = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BIDI}]")
_CONTROLS_NO_NL = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_BIDI}]")
_ANY_BAD = _CONTROLS
# A paragraph break: a blank line (spaces allowed on it).
_PARAGRAPH = re.compile(r"\n[ \t]*\n")


def clean(text: str) -> str:
    """Remove escape sequences and control characters, keeping tab and newline.

    Fast path: most text has nothing to remove, and one `search` over it is cheap.
    """
    if not _ANY_BAD.search(text):
        return text
    text = text.replace("\r\n", "\n")
    if "\x1b" in text or "\x9b" in text or _STRING_START.search(text):
        text = _ESCAPES.sub("", text)
    return _CONTROLS.sub("", text)


_STRING_START = re.compile("[\x90\x98\x9d\x9e\x9f]")


# Double-decoded UTF-8 ("mojibake", `JosÃ©`): a UTF-8 lead byte read as Latin-1/cp1252 (Â..ô)
# followed by a continuation byte read the same way (U+0080-00BF, or a cp1252 stand-in for one).
_CP1252 = "\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178"  # noqa: E501
_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][\u0080-\u00bf{_CP1252}]")


def looks_mojibake(text: str) -> bool:
    """The cheap test that decides whether ftfy is asked at all (ASCII text never is)."""
    return not text.isascii() and _MOJIBAKE.search(text) is not None


def repair_mojibake(text: str) -> str:
    """Repair double-decoded UTF-8 (`SÃ©bastien` -> `Sébastien`) in the lines that look broken.

    ftfy (a well-kept library, imported only when needed: its import costs ~0.1 s) decides, line
    by line, whether a line really is mojibake; the other lines are returned untouched. Must run
    before `clean`, which would remove the C1 characters the repair needs (`â\x80\x9d` is `”`).
    """
    if not looks_mojibake(text):
        return text
    from ftfy import fix_encoding

    out: list[str] = []
    done = 0
    for m in _MOJIBAKE.finditer(text):
        if m.start() < done:
            continue
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        out.append(text[done:start])
        out.append(fix_encoding(text[start:end]))
        done = end
    out.append(text[done:])
    return "".join(out)


def clean_line(text: str) -> str:
    """Clean, and fold all whitespace (including newlines) to single spaces: for titles, names."""
    if text.isprintable() and "  " not in text:  # common case: nothing to clean or fold
        return text.strip()
    return " ".join(clean(text).split())


_ASCII_CONTROLS = bytes(range(0x20)) + b"\x7f"


def _printable(text: str) -> bool:
    """`text.isprintable()`, in half the time on long ASCII text (an abstract): ASCII is printable
    unless it holds a C0 control or DEL, and `bytes.translate` finds those in one quick pass."""
    if len(text) > 200 and text.isascii():
        data = text.encode("ascii")
        return len(data.translate(None, _ASCII_CONTROLS)) == len(data)
    return text.isprintable()


def clean_block(text: str) -> str:
    """Clean and join hard-wrapped lines into one paragraph per blank-line-separated block."""
    if _printable(text) and "  " not in text:  # one clean line: nothing to join
        return text.strip()
    text = clean(text)
    paragraphs = _PARAGRAPH.split(text.strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def clean_block_plain(text: str) -> str:
    """`clean_block(text)` for text known to hold nothing `clean` removes (no control character,
    no bidi override: a feed whose bytes have none and no character reference).

    Then ASCII text is printable unless it holds a tab or newline, which `in` finds by memchr:
    no pass over the text to encode and check it (a year of feeds has ~35 MB of abstracts)."""
    if text.isascii():
        if "\n" not in text and "\t" not in text and "  " not in text:
            return text.strip()
    elif text.isprintable() and "  " not in text:
        return text.strip()
    paragraphs = _PARAGRAPH.split(text.strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def has_controls(text: str) -> bool:
    """True if text still holds anything `clean` would remove (used by tests and asserts)."""
    return bool(_CONTROLS_NO_NL.search(text.replace("\n", "").replace("\t", "")))


# A URL: no spaces, quotes or brackets, except balanced parentheses inside it (`.../a_(b)`); runs
# of plain characters are matched whole, so the scan stays fast and linear.
_URL = re.compile(r"https?://(?:[^\s<>\"'\[\](){}]+|\([^\s<>\"'\[\](){}]*\))+")
_URL_END = ".,;:!?"  # punctuation that closes the sentence around a URL, not the URL


def find_urls(text: str) -> list[str]:
    """URLs mentioned in an abstract, in order, without duplicates."""
    if ":" not in text or "http" not in text:  # a URL has both; the colon is found by memchr
        return []
    seen: dict[str, None] = {}
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(_URL_END)
        if not url.endswith("://"):
            seen.setdefault(url, None)
    return list(seen)
