"""Stored text as a BibTeX field value that pdflatex typesets and that cannot break out of its field.

arXiv titles and abstracts are LaTeX (`$\\mu$-distortion`, `\\texttt{X}`): their maths is kept, their
known formatting commands too. Everything else is written as the text it is:

- non-ASCII outside the 7-bit range becomes LaTeX (pylatexenc's `unicode_to_latex`: `ö` -> `{\\"o}`,
  `λ` -> `\\ensuremath{\\lambda}`), so pdflatex with its default fonts compiles it;
- a command that is not on the known list below (`\\input`, `\\write18`, `\\def`, a paper's own
  `\\ours` macro) is printed as its name (`\\textbackslash{}input`), never run;
- braces always balance, counted the way BibTeX counts them (after a backslash too), so no
  stored text can close a field and start another.

The known commands are those of LaTeX itself plus amsmath/amssymb (arXiv titles use `\\mathbb`).
"""

from __future__ import annotations

import logging
import re

from pylatexenc.latexencode import UnicodeToLatexEncoder

# Text-mode commands a title may use: fonts, accents, symbols of the LaTeX kernel.
TEXT_COMMANDS = frozenset("""
textit textbf texttt textsf textsc textrm textsl textup textnormal emph underline mbox
textsuperscript textsubscript ensuremath LaTeX TeX ldots dots textendash textemdash
textquoteleft textquoteright textquotedblleft textquotedblright textasciitilde textasciicircum
textbackslash textbar textless textgreater textbraceleft textbraceright S P dag ddag copyright
pounds textregistered texttrademark textdegree i j o O l L ss ae AE oe OE aa AA
u v H c d b t r k em bf it tt sf rm sc sl
""".split())

# Maths-mode commands (LaTeX kernel + amsmath + amssymb) kept inside `$...$`.
MATH_COMMANDS = frozenset("""
alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi varpi
rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma
Upsilon Phi Psi Omega digamma varkappa
mathrm mathbf mathit mathsf mathtt mathcal mathbb mathfrak mathscr boldsymbol text textrm textbf
textit texttt textsf emph operatorname rm bf it tt sf cal mathnormal
frac dfrac tfrac sqrt left right big Big bigg Bigg bigl bigr Bigl Bigr middle
sum prod coprod int iint iiint oint bigcup bigcap bigoplus bigotimes bigvee bigwedge
lim limsup liminf sup inf max min arg det deg dim exp gcd hom ker log lg ln sin cos tan cot sec csc
sinh cosh tanh coth arcsin arccos arctan Pr
hat widehat tilde widetilde bar overline underline vec dot ddot breve check acute grave mathring
overrightarrow overleftarrow overbrace underbrace
pm mp times div cdot cdots ldots dots vdots ddots ast star circ bullet oplus ominus otimes oslash
odot wedge vee cap cup setminus wr diamond Diamond triangle bigtriangleup bigtriangledown
leq le geq ge neq ne equiv sim simeq approx cong propto ll gg prec succ preceq succeq subset supset
subseteq supseteq in ni notin mid parallel perp models vdash dashv lesssim gtrsim leqslant geqslant
lneq gneq nleq ngeq asymp doteq
to gets rightarrow leftarrow Rightarrow Leftarrow leftrightarrow Leftrightarrow longrightarrow
longleftarrow Longrightarrow mapsto longmapsto uparrow downarrow Uparrow Downarrow nearrow searrow
hookrightarrow hookleftarrow rightleftharpoons iff implies
infty partial nabla forall exists nexists neg lnot emptyset varnothing ell hbar imath jmath wp Re Im
aleph prime angle top bot flat natural sharp surd backslash Box square blacksquare checkmark
langle rangle lfloor rfloor lceil rceil lvert rvert lVert rVert vert Vert
quad qquad mathstrut displaystyle textstyle scriptstyle not
""".split())

# Maths commands that take an argument or only work inside maths: outside `$...$` they are printed by name.
_MATH_ONLY = frozenset("""
mathrm mathbf mathit mathsf mathtt mathcal mathbb mathfrak mathscr boldsymbol operatorname cal mathnormal
frac dfrac tfrac sqrt left right big Big bigg Bigg bigl bigr Bigl Bigr middle hat widehat tilde widetilde
bar overline vec dot ddot breve check acute grave mathring overrightarrow overleftarrow overbrace
underbrace displaystyle textstyle scriptstyle not text textrm textbf textit texttt textsf emph underline
rm bf it tt sf
""".split())

_MATH_SYMBOLS = {",", ";", ":", "!", " ", "{", "}", "|", "%", "&", "#", "_", "$"}
_TEXT_SYMBOLS = {",", ";", ":", "!", " ", "-", "/", "'", '"', "`", "^", "~", "=", ".", "%", "&", "#", "_", "$", "{", "}", "@"}
_TEXT_ESCAPES = {
    "%": r"\%", "&": r"\&", "#": r"\#", "_": r"\_", "$": r"\$",
    "^": r"\textasciicircum{}", "~": r"\textasciitilde{}", "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
}

logging.getLogger("pylatexenc.latexencode").setLevel(logging.ERROR)


def _unknown_char(ch: str) -> str:
    """A character pdflatex has no glyph for (CJK, emoji): its code point, readable and harmless."""
    return f"[U+{ord(ch):04X}]"


_ENCODER = UnicodeToLatexEncoder(
    non_ascii_only=True, replacement_latex_protection="braces-all", unknown_char_policy=_unknown_char
)


# Accents and letters the default OT1 font encoding lacks (LaTeX stops on `\\k{a}` without T1):
# written as the base letter, so a document compiles whatever its font encoding.
_OT1_MISSING = re.compile(r"\\k\{(\w)\}|\\k (\w)|\\(dh|DH|th|TH|ng|NG|dj|DJ)\b(?:\{\})?")
_DOTLESS = re.compile(r"\\([`'^\"~=.uvH]) ?\\i(?![A-Za-z])")
_OT1_FALLBACK = {"dh": "d", "DH": "D", "th": "th", "TH": "Th", "ng": "n", "NG": "N", "dj": "d", "DJ": "D"}


def to_latex_chars(text: str) -> str:
    """Non-ASCII characters as LaTeX; ASCII is left for the caller."""
    if text.isascii():
        return text
    # `\\'i`, not `\\'\\i`: biber turns a dotless i plus accent into a combining character pdflatex rejects.
    out = _DOTLESS.sub(r"\\\1i", _ENCODER.unicode_to_latex(text))
    return _OT1_MISSING.sub(lambda m: m.group(1) or m.group(2) or _OT1_FALLBACK[m.group(3)], out)


def _math_chars(text: str) -> str:
    """Non-ASCII inside maths: symbols stay maths (`\\ensuremath{\\lambda}`), letters go in `\\mbox`."""
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
            continue
        conv = to_latex_chars(ch)
        out.append(conv if "\\ensuremath" in conv or "\\" not in conv else "\\mbox{" + conv + "}")
    return "".join(out)


def balanced(text: str) -> bool:
    """Braces balance the way BibTeX counts them: every one counts, even `\\{`, and never below 0."""
    depth = 0
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def plain(text: str) -> str:
    """Literal text (a note, a title that is not LaTeX): every special character printed as itself."""
    out = "".join(_TEXT_ESCAPES.get(ch, ch) for ch in " ".join(text.split()))
    return to_latex_chars(out)


def looks_like_latex(text: str) -> bool:
    """arXiv's LaTeX titles and abstracts: maths or a command, with braces and `$` that pair up."""
    unescaped_dollars = len(re.findall(r"(?<!\\)\$", text))
    return bool(re.search(r"(?<!\\)\$|\\[A-Za-z]", text)) and balanced(text) and unescaped_dollars % 2 == 0


_TOKEN = re.compile(r"\\[A-Za-z]+\*?|\\.|\\$|\$\$|\$|[{}]|[^\\${}^]+|\^", re.DOTALL)


def _command(token: str, math: bool) -> str:
    """A command token as output: kept when known in this mode, else printed by name."""
    if len(token) == 2 and not token[1].isalpha():  # control symbol: \% \, \{ ...
        sym = token[1]
        if sym in (_MATH_SYMBOLS if math else _TEXT_SYMBOLS):
            return token
        if sym == "\\":
            return " "
        return (r"\backslash " if math else r"\textbackslash{}") + plain(sym)
    name = token[1:].rstrip("*")
    if name in (MATH_COMMANDS if math else TEXT_COMMANDS):
        return token
    if not math and name in MATH_COMMANDS and name not in _MATH_ONLY:
        return rf"\ensuremath{{\{name}}}"  # `\alpha` outside maths
    if not name.isascii():  # `\º`: a backslash before a non-ASCII letter
        return (r"\backslash " + _math_chars(name)) if math else r"\textbackslash{}" + to_latex_chars(name)
    return (r"\backslash\mathrm{" if math else r"\textbackslash{}") + name + ("}" if math else "")


def latex(text: str) -> list[tuple[str, bool]]:
    """LaTeX source as safe output pieces, each (text, is_maths); the caller joins or brace-protects them."""
    pieces: list[tuple[str, bool]] = []
    math = False
    buf: list[str] = []

    def flush() -> None:
        if buf:
            pieces.append(("".join(buf), math))
            buf.clear()

    # TeX turns `^^69` into `i` before it reads commands (`\^^69nput` is `\input`): keep carets apart.
    text = " ".join(text.split())
    while "^^" in text:
        text = text.replace("^^", "^{}{}^")
    for token in _TOKEN.findall(text):
        if token in ("$", "$$"):
            if math:
                buf.append(token)
                flush()
                math = False
            else:
                flush()
                math = True
                buf.append(token)
        elif token.startswith("\\"):
            buf.append(_command(token, math) if len(token) > 1 else (r"\backslash " if math else r"\textbackslash{}"))
        elif token in ("{", "}"):
            buf.append(token)
        elif token == "^":
            buf.append("^" if math else r"\textasciicircum{}")
        elif math:
            buf.append(_math_chars(re.sub(r"[%&#]", lambda m: "\\" + m.group(), token)))
        else:
            buf.append(to_latex_chars("".join(_TEXT_ESCAPES.get(ch, ch) if ch in "%&#_<>|" else ch for ch in token)))
    flush()
    return pieces


def value(text: str) -> str:
    """Any stored text (a name, an abstract) as a BibTeX value: LaTeX kept when it is LaTeX, else literal."""
    out = "".join(p for p, _ in latex(text)) if looks_like_latex(text) else plain(text)
    return out if balanced(out) else plain(text)


def protect(word: str) -> str:
    """Brace a converted word so BibTeX styles keep its case: `{ChatGPT}`, `{{\\"O}dinger}`."""
    return "{{" + word + "}}" if word.startswith("\\") else "{" + word + "}"
