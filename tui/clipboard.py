"""How text reaches the user's clipboard from a terminal program, and when it cannot.

A terminal is asked with the OSC 52 escape sequence (Textual's `copy_to_clipboard`), but it never
answers, and several popular ones ignore it (macOS Terminal, GNOME Terminal and other VTE
terminals, the Linux console). So: a local clipboard tool when there is one and we are not over
SSH (its copy would land on the remote machine), else OSC 52 when the terminal is known to take
it or not known to refuse it, else nothing, and the reader says so and shows the text instead.
Plain Python: the reader decides how to tell the user.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Route:
    """`kind` is "tool" (run `argv` with the text on stdin), "osc52" or "none" (with `why`)."""

    kind: str
    argv: tuple[str, ...] = ()
    why: str = ""


def _tool(env: Mapping[str, str], platform: str) -> tuple[str, ...] | None:
    if platform == "darwin" and shutil.which("pbcopy"):
        return ("pbcopy",)
    if env.get("WAYLAND_DISPLAY") and shutil.which("wl-copy"):
        return ("wl-copy",)
    if env.get("DISPLAY"):
        if shutil.which("xclip"):
            return ("xclip", "-selection", "clipboard")
        if shutil.which("xsel"):
            return ("xsel", "--clipboard", "--input")
    return None


def _refuses_osc52(env: Mapping[str, str]) -> str:
    """Why this terminal is known to drop OSC 52, or "" (inside tmux, tmux decides)."""
    if env.get("TMUX"):
        return ""
    term = env.get("TERM", "")
    if term in ("linux", "dumb", ""):
        return "the Linux console" if term == "linux" else "this terminal"
    if env.get("TERM_PROGRAM") == "Apple_Terminal":
        return "macOS Terminal"
    if env.get("VTE_VERSION") and not env.get("TERM_PROGRAM"):
        return "GNOME Terminal and other VTE terminals"
    return ""


def route(env: Mapping[str, str], platform: str = sys.platform) -> Route:
    """The way to the clipboard in this environment (see the module docstring)."""
    remote = bool(env.get("SSH_TTY") or env.get("SSH_CONNECTION"))
    tool = None if remote else _tool(env, platform)
    if tool:
        return Route("tool", tool)
    refuses = _refuses_osc52(env)
    if refuses:
        return Route("none", why=f"{refuses} does not accept clipboard text from programs")
    return Route("osc52")


def copy_with_tool(argv: tuple[str, ...], text: str) -> str:
    """Run the clipboard tool; "" on success, else why it failed."""
    try:
        done = subprocess.run(argv, input=text.encode("utf-8"), capture_output=True, timeout=3)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{argv[0]} failed: {exc}"
    return "" if done.returncode == 0 else f"{argv[0]} failed: {done.stderr.decode(errors='replace').strip() or done.returncode}"
