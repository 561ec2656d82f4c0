"""A queue writer the crash and concurrency tests run in a forked child or a subprocess (and kill -9).

    python tests/unit/crash_writer.py DATA_DIR PREFIX [COUNT] [GO_FILE]

Adds papers `PREFIX.0`, `PREFIX.1`, ... (COUNT of them, or forever if 0) one save at a time,
and prints each id (flushed) only after `Queue.add` has saved it: every printed id is a promise
that it is on disk. Every fifth add also edits an earlier entry's note, so saves rewrite existing
entries too. With GO_FILE, waits until that file exists, so two writers start together.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tui.model import Paper  # noqa: E402
from tui.queue import Queue  # noqa: E402

ABSTRACT = "We study how a writer survives being killed while it saves its queue. " * 2


def main(argv: list[str]) -> int:
    data_dir, prefix = Path(argv[1]), argv[2]
    count = int(argv[3]) if len(argv) > 3 else 0
    if len(argv) > 4:
        go = Path(argv[4])
        while not go.exists():
            time.sleep(0.001)
    queue = Queue(data_dir, lock_timeout=10.0)
    if queue.warnings:
        print("WARN", *queue.warnings, file=sys.stderr, flush=True)
    i = 0
    while count == 0 or i < count:
        pid = f"{prefix}.{i}"
        queue.add(Paper(pid, f"Paper {i} from writer {prefix}", ABSTRACT, ("Ada Writer", "Bo Crash")))
        if queue.dirty or queue.last_error:
            print("ERROR", queue.last_error, file=sys.stderr, flush=True)
            return 2
        print(pid, flush=True)
        if i % 5 == 4:
            queue.set_note(f"{prefix}.{i // 2}", f"edited after {i}")
        i += 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
