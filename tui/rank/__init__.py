"""The "for you" order: papers ranked by what you queued (and marked "not for me").

Plain Python outside the reader. `tui.rank.text` and `tui.rank.examples` are light; the model,
`tui.rank.ranker.Ranker`, needs numpy and is imported only when the order is first asked for
(this package's `__init__` imports nothing heavy, so importing `tui.rank` costs nothing).
"""

from __future__ import annotations

from tui.rank.examples import Example, from_papers, from_queue

__all__ = ["Example", "from_papers", "from_queue"]
