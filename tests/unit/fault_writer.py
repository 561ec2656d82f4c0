"""A writer the fault-injection tests run as a subprocess and kill at an exact step of a write.

    python tests/fault_writer.py DATA_DIR STEP NTH MODE [COUNT]

STEP is a `tui.persist.step` name ("temp-synced", "backup-kept", "replaced", "dir-synced",
"copy-kept", "appended", "synced") or "-" for none; the process SIGKILLs itself the NTH time it
reaches it. MODE: `queue` adds COUNT papers and prints each id once `add` reports it saved;
`marks` marks COUNT papers read and prints each id once `flush` reports it durable; `open` only
opens the queue (which recovers a damaged file) and prints how many entries it has.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tui import persist
from tui.model import Paper
from tui.queue import Queue
from tui.readstate import ReadState


def main(argv: list[str]) -> int:
    data_dir, target, nth, mode = Path(argv[1]), argv[2], int(argv[3]), argv[4]
    count = int(argv[5]) if len(argv) > 5 else 5
    seen = 0

    def hook(name: str) -> None:
        nonlocal seen
        if name == target:
            seen += 1
            if seen == nth:
                os.kill(os.getpid(), signal.SIGKILL)

    persist.fault_hook = hook
    tag = f"{os.getpid()}"
    if mode == "open":
        print(len(Queue(data_dir).entries(include_done=True)), flush=True)
    elif mode == "queue":
        queue = Queue(data_dir, lock_timeout=10.0)
        for i in range(count):
            pid = f"w{tag}.{i}"
            queue.add(Paper(pid, f"Paper {i}", "An abstract.", ("A. Writer",)))
            if queue.dirty:
                print("ERROR", queue.last_error, file=sys.stderr, flush=True)
                return 2
            print(pid, flush=True)
    elif mode == "marks":
        state = ReadState(data_dir, lock_timeout=10.0, background=False)
        for i in range(count):
            pid = f"m{tag}.{i}"
            state.set_read(pid)
            if not state.flush():
                print("ERROR", state.last_error, file=sys.stderr, flush=True)
                return 2
            print(pid, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
