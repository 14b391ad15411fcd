"""How often a stream is redrawn as more streams share the server, and when its text comes
from the run's feed."""

from lib.ui.run.state import (
    FED_MIN_REDRAW_SECONDS,
    FED_REDRAW_FACTOR,
    MAX_REDRAW_SECONDS,
    REDRAW_SECONDS,
    SERVER_FRAMES_PER_SECOND,
    redraw_seconds,
)


def test_few_streams_redraw_at_the_full_rate():
    assert redraw_seconds(0) == redraw_seconds(1) == redraw_seconds(2) == REDRAW_SECONDS


def test_the_server_shares_a_budget_of_frames_among_its_streams():
    for count in (3, 8, 16, 25):
        seconds = redraw_seconds(count)
        # The nearest step to the budget: within a factor of √2 of it.
        assert SERVER_FRAMES_PER_SECOND / 1.42 < count / seconds < SERVER_FRAMES_PER_SECOND * 1.42
    assert redraw_seconds(1000) == MAX_REDRAW_SECONDS


def test_frame_lengths_are_steps_so_a_page_asks_for_a_new_one_only_on_a_real_change():
    lengths = {redraw_seconds(count) for count in range(0, 200)}
    assert len(lengths) <= 5
    assert redraw_seconds(24) == redraw_seconds(25)


def test_frames_that_only_draw_the_status_come_a_few_times_less_often():
    """With the text coming from the run's feed, a frame only keeps the status current."""
    assert redraw_seconds(1, fed=True) == FED_MIN_REDRAW_SECONDS
    for count in (16, 25, 1000):
        assert redraw_seconds(count, fed=True) == FED_REDRAW_FACTOR * redraw_seconds(count)
    assert all(
        redraw_seconds(count, fed=True) >= max(FED_MIN_REDRAW_SECONDS, redraw_seconds(count))
        for count in range(0, 200)
    )
