"""Token-probability HTML: escaping, shading and whatever shapes servers send."""

import math
import subprocess
import sys

import pytest

from lib.config.text import escape_markdown, markdown_without_images
from lib.run.model import logprob_summary
from lib.ui.run.logprobs_view import alternatives, probability, render_tokens, token_rows, tooltip
from tests.support.paths import ROOT


def test_tokens_and_tooltips_are_escaped():
    lp = {
        "tokens": ['<img src=x onerror="alert(1)">', "&amp;"],
        "token_logprobs": [-0.1, -2.0],
        "top_logprobs": [{'"><script>x</script>': -3.0}, None],
    }
    out = render_tokens(lp)
    assert "<img" not in out and "<script" not in out
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in out
    assert "&amp;amp;" in out
    assert "&quot;&gt;&lt;script&gt;" in out  # inside the title attribute


@pytest.mark.parametrize(
    "lp",
    [
        {"tokens": 5},
        {"tokens": ["a"], "token_logprobs": {"x": 1}},
        {"tokens": ["a"], "token_logprobs": [-(10**400)], "top_logprobs": [{"b": "x"}]},
        {"tokens": ["a", "b"], "token_logprobs": [None], "top_logprobs": "junk"},
        {},
    ],
)
def test_odd_shapes_render_without_raising(lp):
    assert isinstance(render_tokens(lp), str)
    assert isinstance(token_rows(lp), list)


def test_probability_and_alternatives():
    assert probability(0) == 1.0 and probability(math.log(0.25)) == pytest.approx(0.25)
    assert probability(True) is None and probability(math.nan) is None
    assert probability(-(10**400)) is None
    assert [a for a, _ in alternatives({"x": -2.0, "y": -0.1, "z": None})] == ["y", "x", "z"]
    assert tooltip("\n", 0.5, None).startswith("↵  50.00%")


def test_logprob_summary():
    mean, ppl = logprob_summary([-1.0, -3.0, None, "x", -(10**400)])
    assert mean == -2.0 and ppl == pytest.approx(math.exp(2.0))
    assert logprob_summary([]) == (None, None)
    assert logprob_summary("junk") == (None, None)


def test_the_run_model_imports_no_view():
    # The view reads logprobs through the run model (as_logprob), never the other way round.
    code = (
        "import lib.run.model, sys; "
        "assert 'streamlit' not in sys.modules; "
        "assert not any(m.startswith('lib.ui') for m in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_markdown_helpers():
    assert escape_markdown(":red[x] $y$ <b>") == "\\:red\\[x\\] \\$y\\$ \\<b\\>"
    assert markdown_without_images("a ![i](u) [l](v)") == "a !\\[i](u) [l](v)"


def test_bidi_controls_in_tokens_are_named_isolated_marks():
    lp = {"tokens": ["a\u202eb", "c"], "token_logprobs": [-0.1, -0.2], "top_logprobs": []}
    out = render_tokens(lp)
    assert '<span class="lp-bidi" data-name="RLO">\u202e</span>' in out
    assert ".lp-tok{" in out and "unicode-bidi:isolate" in out.split(".lp-tok{")[1].split("}")[0]
