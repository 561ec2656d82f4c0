"""Digest parsers, one module per format, chosen by sniffing the content (never the file name).

Each parser module offers `sniff(text) -> bool` (cheap, looks at the head of the text) and
`parse(text, path, mtime) -> ParseResult`. Text arrives decoded, with CRLF normalised to LF and
a BOM removed (see `tui.loader`). Parsers never raise on bad input: problems become diagnostics
on the digest, and whatever could be read is returned.
"""

from __future__ import annotations

from pathlib import Path

from tui.model import Digest, ParseResult
from tui.parsers import arxiv_email, arxiv_xml, hf_json, hf_text

# Order matters: the most specific sniffers first, the HF text page (least structured) last.
PARSERS = (hf_json, arxiv_xml, arxiv_email, hf_text)


def parse_text(text: str, path: Path, mtime: float | None = None, raw: bytes | None = None) -> ParseResult:
    """Detect the format of `text` and parse it; an unknown format is an error diagnostic.

    `raw`, when given, is the UTF-8 text `text` decodes from exactly (`tui.loader.decode_raw`):
    the feed reader hands it to expat as is rather than encoding the text again."""
    for parser in PARSERS:
        if parser.sniff(text):
            try:
                if parser is arxiv_xml:
                    return arxiv_xml.parse(text, path, mtime, raw)
                return parser.parse(text, path, mtime)
            except Exception as exc:  # a parser bug must never take the whole load down
                digest = Digest(path=path, format=None)
                digest.error(f"internal parser error ({parser.__name__}): {exc!r}")
                return ParseResult(digest, [])
    digest = Digest(path=path, format=None)
    digest.error("unknown format: not a Hugging Face page/JSON, arXiv e-mail digest or arXiv feed")
    return ParseResult(digest, [])


def parse_feed_bytes(raw: bytes, path: Path, mtime: float | None = None) -> ParseResult | None:
    """`parse_text` of `raw` decoded, for a feed read straight from its bytes; None when `raw` is
    not a feed this shortcut takes (the caller then decodes it and calls `parse_text`).

    `raw` must be what `tui.loader.classify_utf8` called PLAIN: if it is valid UTF-8, decoding it
    changes nothing. Whether it is valid is left to the XML reader, which rejects any invalid
    byte (see `arxiv_xml.parse_plain`); the sniffers see the decoded head, as they would."""
    head = raw[:1024].decode("utf-8", "ignore")  # >= 256 characters, all the sniffers look at
    if hf_json.sniff(head) or not arxiv_xml.sniff(head):
        return None
    try:
        return arxiv_xml.parse_plain(raw, path, mtime)
    except Exception:  # a parser bug: the text route says what it is
        return None
