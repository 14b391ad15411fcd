"""Every row of the suite, in the order of the report."""

from bench import (
    choices,
    client_parsing,
    cold_start,
    compare,
    growth,
    history_page,
    local_model,
    memory,
    sessions,
    submit_to_screen,
    view_code,
)
from bench.core import Row

ROWS: list[Row] = [
    client_parsing.ROW,
    submit_to_screen.ROW,
    growth.ROW,
    choices.ROW,
    sessions.ROW,
    cold_start.ROW,
    history_page.ROW,
    memory.ROW,
    local_model.ROW,
    view_code.ROW,
    compare.ROW,
]
