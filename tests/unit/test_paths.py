"""Where the config file and data folder come from: flag > environment > config file > platform."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from tui import paths


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake home so `~` expansion is checked against a known folder."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_config_flag_beats_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERTRAY_CONFIG", str(tmp_path / "env.toml"))
    assert paths.locate_config(str(tmp_path / "flag.toml")) == (tmp_path / "flag.toml", "flag")
    assert paths.config_file(tmp_path / "flag.toml") == tmp_path / "flag.toml"


def test_config_env_beats_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERTRAY_CONFIG", str(tmp_path / "env.toml"))
    assert paths.locate_config() == (tmp_path / "env.toml", "env")
    assert paths.config_file(None) == tmp_path / "env.toml"


def test_config_default_is_platform_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAPERTRAY_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))  # honoured on Linux
    where, source = paths.locate_config()
    assert source == "default"
    assert where == platformdirs.user_config_path("papertray") / "config.toml"
    assert where.name == "config.toml" and where.parent.name == "papertray"


def test_empty_flag_and_env_count_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERTRAY_CONFIG", "")
    assert paths.locate_config("")[1] == "default"
    monkeypatch.setenv("PAPERTRAY_DATA_DIR", "")
    assert paths.locate_data_dir("", "")[1] == "default"


def test_tilde_expanded_in_flag_and_env(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert paths.config_file("~/my.toml") == home / "my.toml"
    monkeypatch.setenv("PAPERTRAY_CONFIG", "~/env.toml")
    assert paths.config_file() == home / "env.toml"
    monkeypatch.setenv("PAPERTRAY_DATA_DIR", "~/state")
    assert paths.data_dir() == home / "state"
    assert paths.data_dir("~/flagstate") == home / "flagstate"


def test_relative_flag_made_absolute_from_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert paths.config_file("sub/c.toml") == tmp_path / "sub" / "c.toml"


def test_data_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    flag, env, conf = tmp_path / "flag", tmp_path / "env", tmp_path / "conf"
    monkeypatch.setenv("PAPERTRAY_DATA_DIR", str(env))
    assert paths.locate_data_dir(str(flag), conf) == (flag, "flag")
    assert paths.locate_data_dir(None, conf) == (env, "env")
    monkeypatch.delenv("PAPERTRAY_DATA_DIR")
    assert paths.locate_data_dir(None, conf) == (conf, "file")
    assert paths.data_dir(None, conf) == conf
    where, source = paths.locate_data_dir(None, None)
    assert (where, source) == (platformdirs.user_data_path("papertray"), "default")
    assert where.name == "papertray"


def test_conftest_isolates_tests_from_real_dirs(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The autouse fixture points both locations into pytest's temp area, via the environment."""
    base = tmp_path_factory.getbasetemp()
    assert paths.locate_config()[1] == "env" and base in paths.config_file().parents
    assert paths.locate_data_dir()[1] == "env" and base in paths.data_dir().parents
