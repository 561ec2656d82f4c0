"""The README's command-line examples run as written, and the README points at real screenshots."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")


def example_lines() -> list[str]:
    block = README.split("Examples:\n\n```sh\n", 1)[1].split("```", 1)[0]
    return [line.split("  #", 1)[0].strip() for line in block.splitlines() if line.strip()]


@pytest.mark.parametrize("line", example_lines())
def test_readme_example_runs(line: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PAPERTRAY_DATA_DIR": str(tmp_path / "data"),
        "PAPERTRAY_CONFIG": str(tmp_path / "config.toml"),
        "NO_COLOR": "1",
    }
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", line.replace("| head -n 1", "| sed -n 1p")],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()


def test_readme_screenshots_exist() -> None:
    shots = re.findall(r"\(screenshots/([\w.-]+\.svg)\)", README)
    assert {"main.svg", "filter.svg", "help.svg", "queue.svg"} <= set(shots)
    for name in shots:
        assert (REPO / "screenshots" / name).read_text().lstrip().startswith("<svg")


def test_readme_key_table_is_the_keys_module() -> None:
    """The README's key table is made from tui/keys.py; regenerate it with `tui.keys.readme_table()`."""
    from tui.keys import ACTIONS, readme_table

    assert readme_table() in README
    for action in ACTIONS:
        assert f"| `{action.id}` |" in README
