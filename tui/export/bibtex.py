"""BibTeX in arXiv's own `@misc` shape, and biblatex for biber, Zotero and Better BibTeX.

arXiv's "Export BibTeX citation" writes::

    @misc{eger2023nllgquarterlyarxivreport,
          title={NLLG Quarterly arXiv Report 06/23: ...},
          author={Steffen Eger and Christoph Leiter and ...},
          year={2023},
          eprint={2308.04889},
          archivePrefix={arXiv},
          primaryClass={cs.CY},
          url={https://arxiv.org/abs/2308.04889},
    }

We add `month`, `doi` (every arXiv paper has `10.48550/arXiv.<id>`) and `eprinttype = {arxiv}`
(without it Zotero's importer drops the eprint), the note as `annote` and
the abstract, which BibTeX styles do not print, and `key` (what styles sort by) when no author is
known. Every value goes through `tui.export.tex`.
"""

from __future__ import annotations

import re

from tui.export import facts, tex
from tui.queue import QueueEntry

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_INDENT = "      "


def title(e: QueueEntry) -> str:
    """The title as BibTeX with capitals a style must keep brace-protected (`{ChatGPT}`, `{$O(n)$}`)."""
    text = " ".join((e.title or e.id).split())
    if tex.looks_like_latex(text):
        out: list[str] = []
        for piece, is_math in tex.latex(text):
            if is_math:
                out.append(tex.protect(piece) if re.search(r"[A-Z]", piece) else piece)
            else:
                out.append(_protect_words([(w, w) for w in piece.split(" ")], text, e.abstract, not out))
        result = "".join(out)
        if tex.typesets(result):
            return result
    # Not LaTeX, or LaTeX pdflatex would stop on: the literal text.
    return _protect_words([(tex.plain(w), w) for w in text.split(" ")], text, e.abstract, True)


def _protect_words(words: list[tuple[str, str]], whole: str, abstract: str, at_start: bool) -> str:
    """Join (converted, source) words, bracing those whose capitals are part of the word."""
    sentence_case = _is_sentence_case(whole)
    out: list[str] = []
    for converted, source in words:
        # A subtitle's first word is capitalised by convention, not because it is a name.
        first = (at_start and not any(out)) or bool(out and out[-1].endswith((":", ".", "?", "!")))
        keep = converted and tex.balanced(converted) and not _fully_braced(source) and (
            _keeps_case(source, first=first, sentence_case=sentence_case, abstract=abstract)
            or _command_with_capitals(converted)
        )
        out.append(_protect_core(converted) if keep else converted)
    return " ".join(out)


def _fully_braced(word: str) -> bool:
    """`{BERT}` or `{BERT}:` is protected already; `{\\"O}din` is not (a brace group closes early)."""
    core = word.rstrip(")]\"',.;:!?")
    if not core.startswith("{"):
        return False
    depth = 0
    for i, ch in enumerate(core):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth == 0:
            return i == len(core) - 1
    return False


def _command_with_capitals(word: str) -> bool:
    """`\\H{o}`, `\\LaTeX` outside braces: a style lowercasing the title would make `\\h`, `\\latex`."""
    depth = 0
    for m in re.finditer(r"[{}]|\\[A-Za-z]+", word):
        tok = m.group()
        if tok in "{}":
            depth += 1 if tok == "{" else -1
        elif depth == 0 and any(ch.isupper() for ch in tok):
            return True
    return False


def _protect_core(word: str) -> str:
    """Brace the word without the punctuation around it: `{Android}:` rather than `{Android:}`."""
    m = re.fullmatch(r"([(\[\"'`]*)(.*?)([)\]\"',.;:!?]*)", word)
    if m and m.group(2) and tex.balanced(m.group(2)):
        return m.group(1) + tex.protect(m.group(2)) + m.group(3)
    return tex.protect(word)


def _letters(word: str) -> str:
    return re.sub(r"\\[A-Za-z]+|[^\w]|\d|_", "", word)


def _keeps_case(word: str, *, first: bool, sentence_case: bool, abstract: str) -> bool:
    """`ChatGPT`, `LLMs`, `GPT-4`, `arXiv`: a capital after the first letter. `Android` mid-title:
    capitalised where the rest of the title is not, or capitalised in the abstract mid-sentence."""
    letters = _letters(word)
    if not letters:
        return False
    # Each part of a compound counts alone: `Model-Based` is title case, `Human-AI` is not.
    if any(any(ch.isupper() for ch in _letters(part)[1:]) for part in word.split("-")) or re.search(r"\d[A-Z]|[A-Z]\d", word):
        return True
    if first or not letters[0].isupper():
        return False
    if sentence_case:
        return True
    return _proper_in(letters, abstract)


def _is_sentence_case(text: str) -> bool:
    """Most content words after the first are lower case ("Learning to rank with ...")."""
    words = [_letters(w) for w in text.split()[1:]]
    content = [w for w in words if len(w) > 3]
    return len(content) >= 2 and sum(w[0].islower() for w in content) >= len(content) * 0.6


def _proper_in(word: str, abstract: str) -> bool:
    """The abstract capitalises `word` mid-sentence on its own ("phones running Android and iOS"),
    never writes it in lower case, and so names something (a title-case phrase does not count)."""
    if not abstract or re.search(rf"\b{re.escape(word.lower())}\b", abstract):
        return False
    for m in re.finditer(rf"(\S+)\s+{re.escape(word)}\b(\W*)(\S*)", abstract):
        before, after = m.group(1), m.group(3)
        mid_sentence = before[-1:].isalpha() and before[:1].islower() or before.endswith(",")
        alone = not after[:1].isupper() or m.group(2).strip() != ""
        if mid_sentence and alone:
            return True
    return False


def authors(e: QueueEntry) -> str:
    """`A and B and {LSST Dark Energy Science Collaboration} and others`."""
    names, truncated = facts.authors(e)
    parts = []
    for a in names:
        if a.is_org or not _name_like(a):
            parts.append(tex.protect(_name(a.name)))
        elif "," in a.name:
            parts.append(f"{_name(a.family)}, {_name(a.given)}" if _name_like_part(a.given) else _name(a.family))
        else:
            parts.append(_name(a.name))
    if truncated and parts:
        parts.append("others")
    return " and ".join(p for p in parts if p)


def _name_like_part(text: str) -> bool:
    """Starts with a letter: BibTeX reads "Family, -" as a name ending in a comma, and biber takes
    the initials of "`{fi}..." apart mid-brace."""
    return text[:1].isalpha()


def _name_like(a: facts.Author) -> bool:
    """A person's name BibTeX and biber can split; anything else is kept whole, like an organisation."""
    if "," in a.name:
        return _name_like_part(a.family)
    return all(_name_like_part(word) for word in a.name.split())


def _name(text: str) -> str:
    """A name as BibTeX, without leading empty groups (biber miscounts braces taking `{}X`'s initial)."""
    return re.sub(r"^(?:\{\}\s*)+", "", tex.value(text)).strip()


def _url(url: str) -> str:
    """A URL BibTeX and `\\url` both take: braces and backslashes percent-encoded."""
    return re.sub(r"[{}\\\s]", lambda m: f"%{ord(m.group()):02X}", url)


def _id_value(text: str) -> str:
    """An id or category: only characters arXiv uses in them (a hand-edited queue could hold anything)."""
    return re.sub(r"[^A-Za-z0-9.\-/:]", "", text)


def _entry(key: str, fields: list[tuple[str, str]]) -> str:
    body = "".join(f"{_INDENT}{name}={value},\n" for name, value in fields)
    return f"@misc{{{key},\n{body}}}\n"


def _braced(value: str) -> str:
    assert tex.balanced(value), value  # every writer above keeps them so; a field can never leak
    return "{" + value + "}"


def _common(e: QueueEntry) -> tuple[list[tuple[str, str]], tuple[int, ...] | None]:
    fields = [("title", _braced(title(e)))]
    who = authors(e)
    if who:
        fields.append(("author", _braced(who)))
    if not re.search(r"[A-Za-z0-9]", re.sub(r"\\[A-Za-z]+", "", who)):
        # No author BibTeX can sort by: styles sort and label by `key` instead.
        fields.append(("key", _braced(tex.plain(" ".join(facts.title_words(e.title, 3)) or e.id))))
    return fields, facts.issued(e)


def _tail(e: QueueEntry, note_field: str) -> list[tuple[str, str]]:
    fields = []
    if e.abstract:
        fields.append(("abstract", _braced(tex.value(e.abstract))))
    if e.note:
        fields.append((note_field, _braced(tex.plain(e.note))))
    return fields


def to_bibtex(entries: list[QueueEntry]) -> str:
    """`@misc` entries as arXiv exports them, plus month, doi, abstract and the note (`annote`)."""
    blocks = []
    for key, e in zip(facts.keys(entries), entries):
        fields, when = _common(e)
        if when:
            fields.append(("year", _braced(str(when[0]))))
            fields.append(("month", MONTHS[when[1] - 1]))
        aid = e.arxiv_id
        if aid and facts.doi(e):
            fields += [("eprint", _braced(_id_value(aid))), ("archivePrefix", "{arXiv}")]
            if facts.primary_class(e):
                fields.append(("primaryClass", _braced(_id_value(facts.primary_class(e) or ""))))
            fields.append(("eprinttype", "{arxiv}"))  # Zotero keeps `eprint` only beside this
        link = facts.url(e)
        if link:
            fields.append(("url", _braced(_url(link))))
        if facts.doi(e):
            fields.append(("doi", _braced(_id_value(facts.doi(e) or ""))))
        blocks.append(_entry(key, fields + _tail(e, "annote")))
    return "\n".join(blocks)


def to_biblatex(entries: list[QueueEntry]) -> str:
    """biblatex `@misc` with `eprinttype = {arxiv}`, `eprintclass`, `doi`, `date`: what biber, Zotero
    and Better BibTeX read in full (Zotero keeps `eprint` only next to `eprinttype`)."""
    blocks = []
    for key, e in zip(facts.keys(entries), entries):
        fields, when = _common(e)
        if when:
            fields.append(("date", _braced("-".join(f"{n:02d}" if i else str(n) for i, n in enumerate(when)))))
        aid = e.arxiv_id
        if aid and facts.doi(e):
            fields += [("eprint", _braced(_id_value(aid))), ("eprinttype", "{arxiv}")]
            if facts.primary_class(e):
                fields.append(("eprintclass", _braced(_id_value(facts.primary_class(e) or ""))))
            fields.append(("doi", _braced(_id_value(facts.doi(e) or ""))))
        link = facts.url(e)
        if link:
            fields.append(("url", _braced(_url(link))))
        blocks.append(_entry(key, fields + _tail(e, "annotation")))
    return "\n".join(blocks)
