"""`papertray list --sort for-you [--json] [--explain]`: the order, its fallback and its reasons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main
from tui.rank.notforme import NotForMe

DIGEST = str(Path(__file__).resolve().parents[1] / "fixtures" / "rank" / "two-topics.txt")
LIST_KEYS = ["id", "title", "abstract", "authors", "author_count", "organization", "published", "upvotes",
             "categories", "kind", "links", "digests"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def ids(out: str) -> list[str]:
    return [line.split("\t")[0] for line in out.splitlines() if not line.startswith(" ")]


def test_nothing_queued_prints_digest_order_and_says_why(capsys) -> None:
    _, digest_order, _ = run(capsys, "list", DIGEST)
    code, out, err = run(capsys, "list", DIGEST, "--sort", "for-you")
    assert code == 0 and out == digest_order
    assert "for you: digest order (nothing queued yet" in err
    code, out, err = run(capsys, "list", DIGEST, "--sort", "for-you", "--explain")
    assert out == digest_order and "nothing queued yet" in err  # said once, not under every paper


def test_queued_papers_teach_the_order(capsys) -> None:
    assert run(capsys, "queue", "add", "2610.05001", "--digests", DIGEST)[0] == 0  # braised beef
    code, out, err = run(capsys, "list", DIGEST, "--sort", "for-you")
    order = ids(out)
    assert code == 0 and err == ""
    assert order[0] == "2610.05004"  # braised lamb with wine and stock
    assert order[1] == "2610.05008"  # beef stock and wine: the other paper sharing words with it
    assert order[-1] == "2610.05001"  # the queued paper itself goes last
    assert sorted(order) == sorted(ids(run(capsys, "list", DIGEST)[1]))


def test_json_keeps_the_documented_keys_in_for_you_order(capsys) -> None:
    run(capsys, "queue", "add", "2610.05002", "--digests", DIGEST)  # galaxy redshifts
    code, out, _ = run(capsys, "list", DIGEST, "--sort", "for-you", "--json")
    objs = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and all(list(o) == LIST_KEYS for o in objs)
    assert {objs[0]["id"], objs[1]["id"]} == {"2610.05005", "2610.05006"}


def test_explain_prints_the_nearest_queued_paper_and_shared_words(capsys) -> None:
    run(capsys, "queue", "add", "2610.05001", "--digests", DIGEST)
    code, out, _ = run(capsys, "list", DIGEST, "--sort", "for-you", "--explain")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("2610.05004\t")
    assert lines[1].strip().startswith("for you: score ")
    assert "near queued “Slow Braising of Beef Shoulder in Red Wine”" in lines[2]
    assert "wine" in lines[2] and "stock" in lines[2] and "by ada cook" in lines[2]
    assert "[bold]Markup[/]" in out  # digest text printed as typed
    assert "queued: it teaches the for-you order" in out


def test_not_for_me_marks_push_papers_down(capsys, tmp_path: Path) -> None:
    data = tmp_path / "data"
    run(capsys, "--data-dir", str(data), "queue", "add", "2610.05001", "--digests", DIGEST)
    before = ids(run(capsys, "--data-dir", str(data), "list", DIGEST, "--sort", "for-you")[1])
    NotForMe(data).set("2610.05008", title="stock pots")
    after = ids(run(capsys, "--data-dir", str(data), "list", DIGEST, "--sort", "for-you")[1])
    assert before.index("2610.05008") < 3 and after[-1] == "2610.05008"


@pytest.mark.parametrize("args", [["--explain"], ["--sort", "for-you", "--json", "--explain"]])
def test_explain_needs_for_you_and_text_output(capsys, args: list[str]) -> None:
    code, out, err = run(capsys, "list", DIGEST, *args)
    assert code == 2 and out == "" and "--explain goes with --sort for-you" in err
