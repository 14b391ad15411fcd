"""The document's window: a huge document's end, what it leaves out, where it starts."""

from lib.document.model import MODEL, USER
from lib.ui.document.state import windowed


def seg(text: str, kind: str = USER, **extra) -> dict:
    return {"text": text, "kind": kind, "run": None, **extra}


def test_a_document_within_the_limit_is_whole():
    segs = [seg("abc"), seg("def", MODEL)]
    assert windowed(segs, 6) == (segs, 0, 0)


def test_the_end_is_kept_and_a_cut_segment_loses_its_tokens():
    tokens = [["de", 0.5, []], ["f", 0.5, []]]
    segs = [seg("abc"), seg("def", MODEL, run="r1", tokens=tokens), seg("gh")]
    kept, hidden, first = windowed(segs, 4)
    assert kept == [{"text": "ef", "kind": MODEL, "run": "r1"}, seg("gh")]
    assert (hidden, first) == (4, 1)
    assert "".join(s["text"] for s in kept) == "abcdefgh"[hidden:]


def test_a_cut_on_a_segment_boundary_keeps_whole_segments():
    segs = [seg("abc"), seg("def", MODEL, tokens=[["def", 1.0, []]])]
    kept, hidden, first = windowed(segs, 3)
    assert (kept, hidden, first) == ([segs[1]], 3, 1)
