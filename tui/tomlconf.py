"""TOML files read into frozen dataclasses, with errors that name the file, the key and the line.

Generic machinery only: the sections, their defaults and checks are in `tui.config`. A field's
`metadata["check"]` (a function returning a problem or None) is run on its converted value.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import tomllib
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any, get_type_hints


class ConfigError(Exception):
    """A config file that cannot be used; `message` is one line naming file, key and line."""

    def __init__(self, message: str, *, path: Path | None = None, key: str | None = None,
                 line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.key = key
        self.line = line

    def __str__(self) -> str:
        return self.message


_TOML_TYPES: dict[type, str] = {
    bool: "boolean", int: "integer", float: "float", str: "string", list: "array", dict: "table",
}


def describe(value: Any) -> str:
    """What was found, for messages: `string "yes"`, `integer 3`, `table`."""
    kind = _TOML_TYPES.get(type(value), type(value).__name__)
    if isinstance(value, (dict, list)):
        return kind
    if isinstance(value, bool):
        return f"{kind} {str(value).lower()}"  # as written in TOML
    text = repr(value) if not isinstance(value, str) else '"' + repr(value)[1:-1] + '"'
    return f"{kind} {text[:60] + '…' if len(text) > 60 else text}"


class TableReader:
    """One load of one file: knows the path and text so every error can name both."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        self.base = path.parent

    def error(self, key: str, what: str) -> ConfigError:
        """A ConfigError for `key`, with the line where it is set when that can be found."""
        line = line_of(self.text, key.split("[", 1)[0])
        where = f"{self.path}, line {line}" if line else str(self.path)
        return ConfigError(f"{where}: {what}", path=self.path, key=key, line=line)

    def build(self, cls: type, table: dict[str, Any], prefix: str) -> Any:
        """An instance of dataclass `cls` from a TOML table, rejecting unknown keys by name."""
        names = [f.name for f in fields(cls)]
        for key in table:
            if key not in names:
                dotted = prefix + key
                near = difflib.get_close_matches(key, names, n=1)
                hint = f" (did you mean {prefix + near[0]}?)" if near else (
                    f" (known: {', '.join(names)})")
                kind = "table" if isinstance(table[key], dict) else "key"
                raise self.error(dotted, f"unknown {kind} {dotted}{hint}")
        hints = get_type_hints(cls)
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in table:
                continue
            dotted, value, kind = prefix + f.name, table[f.name], hints[f.name]
            if isinstance(kind, type) and is_dataclass(kind):
                if not isinstance(value, dict):
                    raise self.error(
                        dotted, f"{dotted} must be a table [{dotted}], found {describe(value)}")
                kwargs[f.name] = self.build(kind, value, dotted + ".")
                continue
            converted = self.convert(kind, value, dotted)
            check = f.metadata.get("check")
            problem = check(converted) if check else None
            if problem:
                raise self.error(dotted, f"{dotted} {problem}")
            kwargs[f.name] = converted
        return cls(**kwargs)

    def convert(self, kind: Any, value: Any, key: str) -> Any:
        """Check a value's TOML type against the field's annotation and convert it."""
        def wrong(expected: str) -> ConfigError:
            return self.error(key, f"{key} must be {expected}, found {describe(value)}")

        if kind is bool:
            if not isinstance(value, bool):
                raise wrong("a boolean (true or false)")
            return value
        if kind is int:
            if not isinstance(value, int) or isinstance(value, bool):
                raise wrong("an integer")
            return value
        if kind is float:
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise wrong("a number")
            if not math.isfinite(value):
                raise wrong("a finite number")
            return float(value)
        if kind is str:
            if not isinstance(value, str):
                raise wrong("a string")
            return value
        if kind == tuple[Path, ...]:
            return tuple(self.path_value(item) for item in self.strings(value, key))
        if kind == tuple[str, ...]:
            return tuple(item.strip() for item in self.strings(value, key))
        if kind == tuple[tuple[str, str], ...]:  # a table of name = "text" (e.g. [searches])
            if not isinstance(value, dict):
                raise self.error(key, f"{key} must be a table [{key}] of name = \"text\", found {describe(value)}")
            for name, text in value.items():
                if not isinstance(text, str) or not text.strip():
                    raise self.error(f"{key}.{name}", f"{key}.{name} must be a non-empty string, found {describe(text)}")
            return tuple((name, text) for name, text in value.items())
        if kind == Path | None:
            if not isinstance(value, str):
                raise wrong("a string (a folder path, or \"\" for the default)")
            return self.path_value(value) if value.strip() else None
        raise TypeError(f"no converter for {key}: {kind!r}")  # a programming error, not user input

    def strings(self, value: Any, key: str) -> list[str]:
        """An array of non-empty strings, or an error naming the item that is not one."""
        if not isinstance(value, list):
            raise self.error(key, f"{key} must be an array of strings, found {describe(value)}")
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise self.error(f"{key}[{i}]", f"{key}[{i}] must be a string, found {describe(item)}")
            if not item.strip():
                raise self.error(f"{key}[{i}]", f"{key}[{i}] must not be empty")
        return value

    def path_value(self, text: str) -> Path:
        """`~` expanded; a relative path is taken from the config file's folder, not the cwd."""
        p = Path(os.path.expanduser(text))
        return p if p.is_absolute() else self.base / p


_HEADER = re.compile(r"\s*\[\s*([^\[\]]+?)\s*\]")
_ASSIGN = re.compile(r"\s*([A-Za-z0-9_\-\"'. ]+?)\s*=")


def _split_key(text: str) -> list[str]:
    """`a . "b"` -> ["a", "b"]: enough of TOML's dotted-key syntax to find a line."""
    return [part.strip().strip("\"'") for part in text.split(".")]


def line_of(text: str, dotted: str) -> int | None:
    """Best-effort 1-based line where `dotted` (a key or a table) is set; None if not found."""
    want = dotted.split(".")
    table: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("[["):
            continue
        header = _HEADER.match(line)
        if header:
            table = _split_key(header.group(1))
            if table == want:
                return number
            continue
        assign = _ASSIGN.match(line)
        if assign and table + _split_key(assign.group(1)) == want:
            return number
    return None


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_TOML_END = re.compile(r"\s*\(at end of document\)$")


def _toml_error(path: Path, text: str, exc: tomllib.TOMLDecodeError) -> ConfigError:
    """The file and the line/column tomllib reports, parsed out of its message."""
    message = str(exc).splitlines()[0] if str(exc) else "invalid TOML"
    found = _TOML_POSITION.search(message)
    if found:
        line, column = int(found.group(1)), int(found.group(2))
        reason = message[: found.start()]
        return ConfigError(f"{path}, line {line}, column {column}: invalid TOML: {reason}",
                           path=path, line=line)
    end = _TOML_END.search(message)
    if end:
        line = max(1, len(text.splitlines()))
        reason = message[: end.start()]
        return ConfigError(f"{path}, line {line} (end of file): invalid TOML: {reason}",
                           path=path, line=line)
    return ConfigError(f"{path}: invalid TOML: {message}", path=path)


def read_toml(path: Path) -> tuple[str, dict[str, Any]] | None:
    """The text and the parsed table of `path`, or None when there is no such file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc.strerror or exc}",
                          path=path) from exc
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"{path}, line {line}: not UTF-8 text (byte {exc.start})",
                          path=path, line=line) from exc
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(path, text, exc) from exc
