"""Is a piece of LaTeX one that pdflatex typesets without an error? A small, strict reader.

`tui.export.tex` keeps an arXiv title's LaTeX only when this says yes; otherwise the title is
written as the literal text it is. One bad title must never stop the compile of a whole thesis.
The reader checks what a stray character in a digest breaks: accents and commands without their
argument (`\\'` at the end, `\\textbf` alone), sub- and superscripts without one (`x_`, `x_a_b`),
`\\frac` without two, `\\left` without a delimiter or a `\\right`, a group that closes outside the
maths it opened in, `$$` against `$`. Commands it does not know are not its business: `tex`
prints those by name.
"""

from __future__ import annotations

import unicodedata

# Commands whose argument must follow (text mode, then maths).
TEXT_ARG1 = frozenset(
    "textit textbf texttt textsf textsc textrm textsl textup textnormal emph underline mbox "
    "textsuperscript textsubscript ensuremath".split()
)
TEXT_ACCENT_LETTERS = frozenset("u v H c d b r k t".split())
MATH_ARG1 = frozenset(
    "mathrm mathbf mathit mathsf mathtt mathcal mathbb mathfrak mathscr boldsymbol operatorname sqrt "
    "hat widehat tilde widetilde bar overline underline vec dot ddot breve check acute grave mathring "
    "overrightarrow overleftarrow overbrace underbrace text textrm textbf textit texttt textsf emph mbox not".split()
)
MATH_ARG2 = frozenset({"frac", "dfrac", "tfrac"})
DELIMITED = frozenset("left right middle big Big bigg Bigg bigl bigr Bigl Bigr".split())
DELIMITER_COMMANDS = frozenset(
    "langle rangle lfloor rfloor lceil rceil vert Vert lvert rvert lVert rVert uparrow downarrow "
    "Uparrow Downarrow backslash".split()
)
TEXT_ACCENTS = frozenset("'\"^~=.`")
ACCENT_MARKS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304", ".": "\u0307",
                "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "d": "\u0323", "b": "\u0331", "r": "\u030a",
                "k": "\u0328"}


class Malformed(Exception):
    """Where and why the LaTeX would stop pdflatex."""


class _Reader:
    def __init__(self, s: str) -> None:
        self.s = s
        self.n = len(s)

    def _skip_spaces(self, i: int) -> int:
        while i < self.n and self.s[i] == " ":
            i += 1
        return i

    def _command(self, i: int) -> tuple[str, int]:
        """(name or symbol, index after) for the command starting at the backslash at i."""
        j = i + 1
        if j >= self.n:
            raise Malformed("a backslash at the end")
        if self.s[j].isascii() and self.s[j].isalpha():
            while j < self.n and self.s[j].isascii() and self.s[j].isalpha():
                j += 1
            return self.s[i + 1:j], j
        return self.s[j], j + 1

    def _group(self, i: int, math: bool) -> int:
        """The group opening at i; returns the index after its closing brace."""
        j = self.sequence(i + 1, math, in_group=True)
        if j >= self.n or self.s[j] != "}":
            raise Malformed("a group that does not close where it opened")
        return j + 1

    def accented(self, i: int, accent: str) -> int:
        """What a text accent (`\\'`, `\\"`, `\\c`...) sits on: one letter (or `\\i`), bare or in braces,
        that makes a letter of Latin-1 or Latin Extended-A (biber writes it as that character, and
        pdflatex knows those)."""
        i = self._skip_spaces(i)
        end = i
        if i < self.n and self.s[i] == "{":
            end = self.s.find("}", i) + 1
            inner = self.s[i + 1:end - 1].strip() if end else "?"
        elif self.s.startswith(("\\i", "\\j"), i) and not self.s[i + 2:i + 3].isalpha():
            inner, end = self.s[i:i + 2], i + 2
        else:
            inner, end = self.s[i:i + 1], i + 1
        letter = {"\\i": "i", "\\j": "j"}.get(inner, inner)
        mark = ACCENT_MARKS.get(accent)
        if len(letter) == 1 and letter.isascii() and letter.isalpha() and mark:
            composed = unicodedata.normalize("NFC", letter + mark)
            if len(composed) == 1 and 0xC0 <= ord(composed) <= 0x17F:
                return end
        raise Malformed(f"an accent \\{accent} on {inner!r}, not a Latin letter")

    def argument(self, i: int, math: bool) -> int:
        """One macro argument starting at or after i (spaces skipped, as TeX does)."""
        i = self._skip_spaces(i)
        if i >= self.n:
            raise Malformed("a command without its argument")
        c = self.s[i]
        if c == "{":
            return self._group(i, math)
        if c == "\\":
            name, j = self._command(i)
            if math and name in MATH_ARG1:  # `x_\mathrm{NL}`: LaTeX takes a font command with its group
                return self.argument(j, math)
            takes_argument = MATH_ARG1 | MATH_ARG2 | DELIMITED if math else TEXT_ARG1 | TEXT_ACCENTS | TEXT_ACCENT_LETTERS
            if name in takes_argument or name == "\\":
                raise Malformed(f"\\{name} as an argument")
            return j
        if c in "}$_^&#%" or (not math and c in "~"):
            raise Malformed(f"{c!r} as an argument")
        return i + 1

    def _delimiter(self, i: int) -> int:
        i = self._skip_spaces(i)
        if i < self.n and self.s[i] in "()[]|./<>":
            return i + 1
        if i < self.n and self.s[i] == "\\":
            name, j = self._command(i)
            if name in ("{", "}", "|") or name in DELIMITER_COMMANDS:
                return j
        raise Malformed("\\left or \\right without a delimiter")

    def sequence(self, i: int, math: bool, in_group: bool = False, closer: str = "") -> int:
        """Read until the end, a `}` closing this group, or the maths closer; returns where it stopped."""
        scripts: set[str] = set()
        lefts = 0
        while i < self.n:
            c = self.s[i]
            if c == "}":
                if not in_group:
                    raise Malformed("a closing brace without its opening one here")
                break
            if math and closer and self.s.startswith(closer, i):
                break
            if c == "$":
                if math:
                    raise Malformed("`$` and `$$` that do not pair")
                opener = "$$" if self.s.startswith("$$", i) else "$"
                j = self.sequence(i + len(opener), True, closer=opener)
                if not self.s.startswith(opener, j):
                    raise Malformed("maths that does not close")
                i = j + len(opener)
                continue
            if math and c in "_^":
                if c in scripts:
                    raise Malformed(f"a double {'subscript' if c == '_' else 'superscript'}")
                scripts.add(c)
                i = self.argument(i + 1, math)
                continue
            if c != " ":
                scripts = set()
            if c == "{":
                i = self._group(i, math)
            elif c == "\\":
                name, j = self._command(i)
                if math and name in MATH_ARG2:
                    j = self.argument(self.argument(j, math), math)
                elif not math and (name in TEXT_ACCENTS or name in TEXT_ACCENT_LETTERS):
                    j = self.accented(j, name)
                elif math and name in MATH_ARG1 or not math and name in TEXT_ARG1:
                    j = self.argument(j, math)
                elif math and name in DELIMITED:
                    lefts += {"left": 1, "right": -1}.get(name, 0)
                    if lefts < 0:
                        raise Malformed("\\right without \\left")
                    j = self._delimiter(j)
                i = j
            else:
                i += 1
        if lefts:
            raise Malformed("\\left without \\right")
        return i


def check(text: str) -> str:
    """"" when pdflatex would typeset `text` (LaTeX source) without error, else why not."""
    try:
        reader = _Reader(text)
        end = reader.sequence(0, False)
        if end != len(text):
            raise Malformed("a closing brace without its opening one")
    except Malformed as exc:
        return str(exc)
    except RecursionError:
        return "groups nested too deep"
    return ""
