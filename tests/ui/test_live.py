"""How often a stream is redrawn as more streams share the server."""

from lib.ui.run.state import MAX_REDRAW_SECONDS, REDRAW_SECONDS, redraw_seconds


def test_few_streams_redraw_at_the_full_rate():
    assert redraw_seconds(0) == redraw_seconds(1) == redraw_seconds(4) == REDRAW_SECONDS


def test_many_streams_get_longer_frames_up_to_a_cap():
    assert redraw_seconds(8) == 2 * REDRAW_SECONDS
    assert redraw_seconds(16) == 4 * REDRAW_SECONDS
    assert redraw_seconds(1000) == MAX_REDRAW_SECONDS
