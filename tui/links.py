"""Which links papertray hands on: only plain http(s) URLs.

A link comes from a digest or from a hand-edited queue file, so it is untrusted: `file:///etc/passwd`,
`javascript:...` or `--remote-debugging-port=9222` must never reach a browser's argv or an export.
One check, used where links are loaded, exported and opened.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

_BAD_CHARS = re.compile(r"[\x00-\x20\x7f-\x9f\"<>\\`]")


# The usual shape, `http(s)://plain.host.name` then `/`, `?`, `#` or the end: scheme, host and
# (absent) port are plain to see, so `urlsplit` could only agree (loading a year of feeds checks
# ~70k links; urlsplit costs ~3 us each). Anything else takes the full check.
_PLAIN = re.compile(r"https?://[A-Za-z0-9][A-Za-z0-9.-]*(?:[/?#]|\Z)")


def safe_url(url: str | None) -> str | None:
    """`url` when it is an absolute http(s) URL with a host and no spaces or control characters, else None."""
    if not url or _BAD_CHARS.search(url):
        return None
    if _PLAIN.match(url):
        return url
    return _split_check(url)


def _split_check(url: str) -> str | None:
    """The full check, through `urlsplit`, of a URL free of spaces and control characters."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def split_links(links: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The safe links (same names, same order) and the unsafe URLs that were left out."""
    kept: dict[str, str] = {}
    dropped: list[str] = []
    for name, url in links.items():
        if safe_url(url) is None:
            dropped.append(url)
        else:
            kept[name] = url
    return kept, dropped


def dropped_warning(what: str, url: str) -> str:
    """The one wording for a left-out link, so the CLI and the reader say the same thing."""
    shown = url if len(url) <= 80 else url[:77] + "..."
    return f"{what}: link {shown!r} left out (only http and https links are opened or exported)"


# What `safe_url` passes unchanged in the usual case, in one match: `_PLAIN`'s scheme and host,
# then a path, query or fragment free of `_BAD_CHARS`.
_PLAIN_SAFE = re.compile(r"https?://[A-Za-z0-9][A-Za-z0-9.-]*(?:[/?#][^\x00-\x20\x7f-\x9f\"<>\\`]*)?")


def keep_safe_links(links: Mapping[str, str], what: str, warn: Callable[[str], object] | None = None) -> dict[str, str]:
    """`links` without the unsafe ones; each one left out is reported through `warn` (where links are loaded).

    Every link of a paper plain and safe (loading a year of feeds checks ~70k) is decided in
    one C-level pass; anything else is checked link by link."""
    try:
        if all(map(_PLAIN_SAFE.fullmatch, links.values())):
            return dict(links)
    except TypeError:  # not a string: the check below says what to do with it
        pass
    kept, dropped = split_links(links)
    if warn is not None:
        for url in dropped:
            warn(dropped_warning(what, url))
    return kept
