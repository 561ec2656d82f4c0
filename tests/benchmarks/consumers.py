"""Every export read by the tools that receive it: `python tests/benchmarks/consumers.py [PATH...]`

Exports every paper of the given digests (default: ../shared when present, the bundled samples
and the invented fixtures of tests/unit/test_export.py) in every format and prints one row per
consumer and format: how many entries the consumer read (it must be all of them) and its first
complaint. In-process: pybtex, bibtexparser, rispy, citeproc-py (each item rendered), the csv
module. External, when installed: pandoc (reads BibTeX, biblatex and CSL-JSON, and cites every
entry with --citeproc) and JabRef (imports RIS, BibTeX and biblatex; 3.8 runs headless with -n).
pdflatex, bibtex and biber are in tex_compile.py.

Exit status: 0 when every consumer that ran read every entry; 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.benchmarks.tex_compile import entries_for  # noqa: E402
from tests.export_oracles import read_bibtex, read_csv, read_ris, render_csl  # noqa: E402
from tui.export import FORMATS, export  # noqa: E402

NOCITE = '---\nnocite: "@*"\n---\n\n# References\n'


def _pandoc(folder: Path, name: str, text: str, reader: str) -> tuple[int, str]:
    refs = folder / name
    refs.write_text(text, encoding="utf-8")
    parsed = subprocess.run(["pandoc", "-f", reader, "-t", "csljson", str(refs)], capture_output=True, text=True, timeout=600)
    if parsed.returncode:
        return 0, parsed.stderr.strip()[:200]
    doc = folder / "doc.md"
    doc.write_text(NOCITE)
    html = subprocess.run(["pandoc", str(doc), "--citeproc", "--bibliography", str(refs), "-t", "html"],
                          capture_output=True, text=True, timeout=600)
    read = len(json.loads(parsed.stdout))
    cited = html.stdout.count('class="csl-entry"')
    complaints = [line for line in (parsed.stderr + html.stderr).splitlines() if line.startswith("[")]
    return min(read, cited), (complaints[0] if complaints else "")


def _jabref(folder: Path, name: str, text: str, importer: str) -> tuple[int, str]:
    """Import with JabRef and write the database back as RIS (its BibTeX writer needs braced text)."""
    src = folder / name
    src.write_text(text, encoding="utf-8")
    out = folder / f"{name}.out.ris"
    run = subprocess.run(["jabref", "-n", "-i", f"{src},{importer}", "-o", f"{out},ris"],
                         capture_output=True, text=True, timeout=600)
    problems = [line for line in (run.stdout + run.stderr).splitlines() if "Exception" in line or "ERROR" in line]
    records = len(re.findall(r"^TY  - ", out.read_text(errors="replace"), re.MULTILINE)) if out.exists() else 0
    return records, (problems[0][:200] if problems else "")


def _in_process(fmt: str, text: str) -> list[tuple[str, Callable[[], int]]]:
    if fmt in ("bibtex", "biblatex"):
        return [("pybtex + bibtexparser", lambda: len(read_bibtex(text)[0].entries))]
    if fmt == "ris":
        return [("rispy", lambda: len(read_ris(text)))]
    if fmt == "csl-json":
        return [("citeproc-py (rendered)", lambda: len(render_csl(text)))]
    if fmt == "csv":
        return [("csv module (no formula)", lambda: len(read_csv(text)))]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="digest files or folders (default: ../shared and the samples)")
    args = parser.parse_args(argv)
    paths = args.paths or [str(p) for p in (REPO.parent / "shared", REPO / "tui" / "samples") if p.exists()]
    entries = entries_for(paths)
    texts = {fmt: export(entries, fmt) for fmt in FORMATS}
    print(f"{len(entries)} entries from {', '.join(paths) or 'the fixtures'}")
    print(f"{'consumer':<26} {'format':<9} {'read':>6}  first complaint")
    failed = False

    def row(consumer: str, fmt: str, read: int, complaint: str) -> None:
        nonlocal failed
        failed |= read != len(entries)
        print(f"{consumer:<26} {fmt:<9} {read:>6}  {complaint or '-'}")

    for fmt in FORMATS:
        for consumer, count in _in_process(fmt, texts[fmt]):
            try:
                row(consumer, fmt, count(), "")
            except Exception as exc:  # a consumer that cannot read the file is the finding
                row(consumer, fmt, 0, f"{type(exc).__name__}: {exc}"[:200])
    with tempfile.TemporaryDirectory(prefix="papertray-consumers-") as tmp:
        folder = Path(tmp)
        if shutil.which("pandoc"):
            for fmt, name, reader in (("bibtex", "a.bib", "bibtex"), ("biblatex", "b.bib", "biblatex"), ("csl-json", "c.json", "csljson")):
                row("pandoc (read + --citeproc)", fmt, *_pandoc(folder, name, texts[fmt], reader))
        else:
            print("pandoc: not installed, skipped")
        if shutil.which("jabref"):
            for fmt, name, importer in (("ris", "a.ris", "ris"), ("bibtex", "a.bib", "bibtex"), ("biblatex", "b.bib", "bibtex")):
                row("JabRef (import)", fmt, *_jabref(folder, name, texts[fmt], importer))
        else:
            print("JabRef: not installed, skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
