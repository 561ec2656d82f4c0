"""Figures that need a fresh interpreter: start-up to interactive (in a pseudo-terminal) and peak RSS.

Measuring these in the benchmark's own process would be wrong: imports are already cached there and
its memory high-water mark includes every earlier figure. Each run here is a new `python`.
"""

from __future__ import annotations

import fcntl
import json
import os
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COLUMNS, LINES = 160, 45


def _drain(fd: int) -> None:
    """Read and drop the app's output so it never blocks on a full pty buffer."""
    while True:
        try:
            if not os.read(fd, 65536):
                return
        except OSError:  # EIO once the child has gone and the slave side is closed
            return


def start_to_ready(digest_dir: Path, timeout: float = 60.0) -> float:
    """Seconds from launching `python -m tui DIR` in a pty until the app reports its first painted list.

    The app writes `time.time()` to $PAPERTRAY_READY_FILE after the first refresh that follows
    loading; that stamp (not our polling) ends the measurement. The child is killed afterwards.
    """
    with tempfile.TemporaryDirectory(prefix="papertray-start-") as tmp:
        ready = Path(tmp) / "ready"
        env = dict(
            os.environ,
            TERM="xterm-256color",
            COLUMNS=str(COLUMNS),
            LINES=str(LINES),
            PAPERTRAY_DATA_DIR=str(Path(tmp) / "data"),
            PAPERTRAY_CONFIG=str(Path(tmp) / "config.toml"),
            PAPERTRAY_READY_FILE=str(ready),
        )
        env.pop("NO_COLOR", None)
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        t0 = time.time()
        proc = subprocess.Popen(
            [sys.executable, "-m", "tui", str(digest_dir)],
            stdin=slave, stdout=slave, stderr=slave, env=env, cwd=REPO, start_new_session=True,
        )
        os.close(slave)
        reader = threading.Thread(target=_drain, args=(master,), daemon=True)
        reader.start()
        try:
            deadline = time.monotonic() + timeout
            while True:
                if ready.exists():
                    text = ready.read_text().strip()
                    if text:  # the file may be seen between creation and write
                        return float(text) - t0
                if proc.poll() is not None:
                    raise RuntimeError(f"papertray exited with status {proc.returncode} before it was ready")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"papertray not ready after {timeout:.0f} s")
                time.sleep(0.002)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            reader.join(timeout=5)
            os.close(master)


def import_textual() -> float:
    """Seconds to start the same interpreter and `import textual.app`: the fixed cost of any Textual app."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import textual.app"], check=True, cwd=REPO)
    return time.perf_counter() - t0


_RSS_SCRIPT = """
import json, resource, sys, time
from tui.search import SearchIndex
from tui.store import Store

def peak_kib():
    # ru_maxrss survives exec on Linux: a child forked from a big parent reports the parent's size.
    # VmHWM is the high-water mark of this process image alone, so prefer it where it exists.
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

base = peak_kib()
t0 = time.perf_counter()
store = Store()
store.load(sys.argv[1:])
index = SearchIndex([store.papers[i] for i in store.all_ids()])
elapsed = time.perf_counter() - t0
print(json.dumps({"base_kib": base, "peak_kib": peak_kib(), "ru_maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "papers": len(store.papers), "seconds": elapsed}))
"""


def peak_rss(paths: list[Path]) -> dict[str, float]:
    """Peak resident KiB of a fresh interpreter that loads `paths` and indexes every paper.

    `peak_kib` is VmHWM where /proc exists (else ru_maxrss); `ru_maxrss_kib` is reported as well.
    """
    out = subprocess.run(
        [sys.executable, "-c", _RSS_SCRIPT, *map(str, paths)],
        check=True, capture_output=True, text=True, cwd=REPO,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])
