"""Shared test fixtures: where the real digests live, and isolation from the user's own files."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test cleanly when a fresh clone has no ../shared."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (real digests live beside the repo, not in it)")
    return path


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the developer's real config or queue from a test."""
    base = tmp_path_factory.mktemp("userdirs")
    monkeypatch.setenv("PAPERTRAY_CONFIG", str(base / "config.toml"))
    monkeypatch.setenv("PAPERTRAY_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("PAPERTRAY_CACHE_DIR", str(base / "cache"))
    monkeypatch.delenv("NO_COLOR", raising=False)
