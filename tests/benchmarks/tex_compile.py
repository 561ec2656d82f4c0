"""Does a LaTeX document citing every exported entry compile? `python tests/benchmarks/tex_compile.py [PATH...]`

Exports every paper of the given digests (default: ../shared when present, the bundled samples
and the invented fixtures of tests/test_export.py) as BibTeX, writes a document that `\\nocite{*}`s
them, and runs pdflatex + bibtex (plain.bst) + pdflatex twice, for two preambles: LaTeX alone and
LaTeX with amsmath/amssymb. Where biber and biblatex are installed it also compiles the biblatex
export with biber, 400 entries per document (biblatex runs out of TeX's main memory on ~2,000).
It prints one row per run: BibTeX/biber warnings and errors, LaTeX errors (`!` lines in the log),
pages, seconds. Shell escape is off, as in any sane setup.

Exit status: 0 when both documents compiled with 0 errors; 1 when any error; 2 when pdflatex or
bibtex is not installed (CI need not have TeX: on Debian, `apt-get install texlive-latex-base`).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
for _p in (str(REPO), str(TESTS)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from tui.export import export  # noqa: E402
from tui.queue import QueueEntry  # noqa: E402
from tui.store import Store  # noqa: E402

PREAMBLES = {"latex": "", "amsmath+amssymb": "\\usepackage{amsmath,amssymb}\n"}
BIBLATEX_DOCUMENT = (
    "\\documentclass{{article}}\n\\usepackage{{amsmath,amssymb}}\n\\usepackage[backend=biber]{{biblatex}}\n"
    "\\addbibresource{{refs.bib}}\n\\begin{{document}}\n\\nocite{{*}}\n\\printbibliography\n\\end{{document}}\n"
)
BIBLATEX_CHUNK = 400
DOCUMENT = (
    "\\documentclass{{article}}\n{preamble}\\begin{{document}}\n\\nocite{{*}}\n"
    "\\bibliographystyle{{plain}}\n\\bibliography{{refs}}\n\\end{{document}}\n"
)


def entries_for(paths: list[str]) -> list[QueueEntry]:
    """Queue entries for every paper in `paths`, plus the invented fixtures (the hard cases)."""
    from test_export import ENTRIES

    store = Store()
    store.load(paths)
    return [QueueEntry.from_paper(p) for p in store.papers.values()] + list(ENTRIES)


def _run(argv: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=folder, capture_output=True, text=True, errors="replace", timeout=600)


def compile_once(folder: Path, bib: str, preamble: str) -> dict[str, object]:
    """pdflatex, bibtex, pdflatex, pdflatex in `folder`; the counts that say whether it worked."""
    (folder / "refs.bib").write_text(bib, encoding="ascii")
    (folder / "doc.tex").write_text(DOCUMENT.format(preamble=preamble), encoding="ascii")
    latex = ["pdflatex", "-interaction=nonstopmode", "-no-shell-escape", "doc.tex"]
    t0 = time.monotonic()
    _run(latex, folder)
    bibtex = _run(["bibtex", "doc"], folder)
    _run(latex, folder)
    _run(latex, folder)
    seconds = time.monotonic() - t0
    log = (folder / "doc.log").read_text(errors="replace")
    blg = (folder / "doc.blg").read_text(errors="replace") if (folder / "doc.blg").exists() else bibtex.stdout
    pages = re.search(r"Output written on doc\.pdf \((\d+) page", log)
    m_warn = re.search(r"\(There (?:was|were) (\d+) warnings?\)", blg)
    m_err = re.search(r"\(There (?:was|were) (\d+) error messages?\)", blg)
    return {
        "bibtex_warnings": int(m_warn.group(1)) if m_warn else 0,
        "bibtex_errors": int(m_err.group(1)) if m_err else 0,
        "latex_errors": len(re.findall(r"^! ", log, re.MULTILINE)),
        "first_error": next(iter(re.findall(r"^! .*\n.*\n.*", log, re.MULTILINE)), ""),
        "pages": int(pages.group(1)) if pages else 0,
        "seconds": round(seconds, 1),
    }


def compile_biblatex(folder: Path, bib: str) -> dict[str, object]:
    """pdflatex, biber, pdflatex, pdflatex over the biblatex export, in chunks TeX's memory holds."""
    blocks = ["@misc{" + b for b in bib.split("@misc{")[1:]]
    totals: dict[str, object] = {"bibtex_warnings": 0, "bibtex_errors": 0, "latex_errors": 0, "first_error": "", "pages": 0, "seconds": 0.0}
    latex = ["pdflatex", "-interaction=nonstopmode", "-no-shell-escape", "doc.tex"]
    for n, start in enumerate(range(0, len(blocks), BIBLATEX_CHUNK)):
        part = folder / f"part{n}"
        part.mkdir()
        (part / "refs.bib").write_text("".join(blocks[start:start + BIBLATEX_CHUNK]), encoding="ascii")
        (part / "doc.tex").write_text(BIBLATEX_DOCUMENT.format(), encoding="ascii")
        t0 = time.monotonic()
        _run(latex, part)
        biber = _run(["biber", "doc"], part)
        _run(latex, part)
        _run(latex, part)
        log = (part / "doc.log").read_text(errors="replace")
        errors = re.findall(r"^! .*", log, re.MULTILINE)
        pages = re.search(r"Output written on doc\.pdf \((\d+) page", log)
        totals["bibtex_warnings"] = int(totals["bibtex_warnings"]) + biber.stdout.count("WARN -")  # type: ignore[call-overload]
        totals["bibtex_errors"] = int(totals["bibtex_errors"]) + biber.stdout.count("ERROR -")  # type: ignore[call-overload]
        totals["latex_errors"] = int(totals["latex_errors"]) + len(errors)  # type: ignore[call-overload]
        totals["first_error"] = totals["first_error"] or (errors[0] if errors else "")
        totals["pages"] = int(totals["pages"]) + (int(pages.group(1)) if pages else 0)  # type: ignore[call-overload]
        totals["seconds"] = round(float(totals["seconds"]) + time.monotonic() - t0, 1)  # type: ignore[arg-type]
    return totals


def has_biblatex() -> bool:
    if not shutil.which("biber") or not shutil.which("kpsewhich"):
        return False
    found = subprocess.run(["kpsewhich", "biblatex.sty"], capture_output=True, text=True)
    return bool(found.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="digest files or folders (default: ../shared and the samples)")
    args = parser.parse_args(argv)
    if not (shutil.which("pdflatex") and shutil.which("bibtex")):
        print("pdflatex and bibtex are not installed; nothing measured (apt-get install texlive-latex-base)")
        return 2
    paths = args.paths or [str(p) for p in (REPO.parent / "shared", REPO / "tui" / "samples") if p.exists()]
    entries = entries_for(paths)
    bib = export(entries, "bibtex")
    print(f"{len(entries)} entries from {', '.join(paths) or 'the fixtures'}")
    print(f"{'run':<18} {'bibtex warn':>11} {'bibtex err':>10} {'latex err':>9} {'pages':>5} {'seconds':>7}")
    failed = False
    for name, preamble in PREAMBLES.items():
        with tempfile.TemporaryDirectory(prefix="papertray-tex-") as tmp:
            r = compile_once(Path(tmp), bib, preamble)
        failed |= report(name, r)
    if has_biblatex():
        with tempfile.TemporaryDirectory(prefix="papertray-biber-") as tmp:
            failed |= report("biblatex + biber", compile_biblatex(Path(tmp), export(entries, "biblatex")))
    else:
        print("biblatex + biber: not installed, skipped (apt-get install biber texlive-bibtex-extra)")
    return 1 if failed else 0


def report(name: str, r: dict[str, object]) -> bool:
    """Print one row; True when the run failed."""
    print(f"{name:<18} {r['bibtex_warnings']:>11} {r['bibtex_errors']:>10} {r['latex_errors']:>9} {r['pages']:>5} {r['seconds']:>7}")
    failed = bool(r["latex_errors"] or r["bibtex_errors"] or not r["pages"])
    if failed:
        print(f"  first error: {r['first_error']}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
