"""Word -> the texts holding it, for the short texts (titles, bylines) the filter matches by word.

Kept as arrays of 4-byte ints, not lists of int objects: a tenth of the memory at 300k papers,
and nothing for the garbage collector to scan.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence

_WORD = re.compile(r"\w+")


def postings(texts: Sequence[str]) -> dict[str, array[int]]:
    """Word -> indexes of the texts containing it (each index once per word)."""
    post: dict[str, list[int]] = {}
    findall = _WORD.findall
    for i, text in enumerate(texts):
        for w in set(findall(text)):
            lst = post.get(w)
            if lst is None:
                post[w] = [i]
            else:
                lst.append(i)
    # Arrays of 4-byte ints, not lists of int objects: a tenth of the memory at 300k papers.
    return {w: array("I", lst) for w, lst in post.items()}
