"""The one table of request fields: every kind, range, limit, default and widget is written here.

Each row is a field of the completions body (``api``) or one of the form's own inputs (the prompt's
form, Extra JSON, the injected texts). Validation (validate.py), widget values <-> body (form.py),
share links (share.py) and the widgets themselves (lib/ui/request_form.py) read their ranges and
limits from these rows at the moment they use them, so changing a row changes all of them.
Ranges come from the relay's docs (the seed) and OpenAI's legacy completions spec.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Kinds of value: the API field's, or for the form's own inputs the widget's.
TEXT = "text"
INT = "int"
FLOAT = "float"
BOOL = "bool"
CHOICE = "choice"  # one of `choices`
PROMPT = "prompt"  # text, a list of texts, a list of token ids, or a list of lists of them
TEXT_LIST = "text_list"  # one text or a list of at most `most` texts
TOKEN_MAP = "token_map"  # token id -> a number from `low` to `high`
OBJECT = "object"  # a JSON object

# Widgets (lib/ui/request_form.py draws each with a Streamlit widget).
COMBO = "combo"  # pick from a list or type a new value
SELECT = "select"  # one of the field's `options`
SEGMENTS = "segments"  # one of the field's `options`, as buttons
TAGS = "tags"  # several typed texts, at most `most`
NUMBER = "number"  # a whole number box that may be emptied (None: nothing is sent)
SLIDER = "slider"  # a number from `low` to `high`
DECIMAL = "decimal"  # a decimal number box that may be emptied (None: the server's default)
TOGGLE = "toggle"
CHECKBOX = "checkbox"
LINE = "line"  # one line of text
AREA = "area"  # several lines of text
JSON = "json"  # several lines of JSON text
HIDDEN = "hidden"  # a value the form keeps without drawing it

# When the form sends a field.
ALWAYS = "always"  # whenever it has a value (an emptied box sends nothing)
CHANGED = "changed"  # only when it differs from the default, so strict servers see a small body

# Server kinds (the names lib/tokens gives them; kept here as text: lib/request stands alone).
LLAMA_CPP, LLAMA_CPP_PYTHON, VLLM = "llama.cpp", "llama-cpp-python", "vllm"
LLAMA_FAMILY = (LLAMA_CPP, LLAMA_CPP_PYTHON)
TOP_K = (*LLAMA_FAMILY, VLLM)
SERVER_FIELDS = ("top_k", "min_p", "repeat_penalty", "repetition_penalty", "mirostat_mode",
                 "mirostat", "mirostat_tau", "mirostat_eta", "grammar")  # fmt: skip

NO_WIDGET = object()  # the default of a body field the form has no widget for

PROMPT_MODES = ("text", "strings", "tokens", "token_lists")
LOGPROBS_OFF = "off"
# OpenAI's limits; they also keep the page from drawing thousands of choices.
MAX_N = 128
# Choices one request may ask for in all (n for each prompt of a batch): a link must not be
# able to set up a request that keeps the server and the page busy for minutes.
MAX_CHOICES = 128
# Number widgets live in the browser, where integers beyond 2**53 silently lose digits.
MAX_SAFE_INT = 2**53 - 1


@dataclass(frozen=True)
class Field:
    """One request field: what it holds, its limits, and how the playground shows it."""

    name: str
    kind: str
    default: Any = NO_WIDGET  # the playground's starting value (not the API's default)
    widget: str | None = None
    low: float | None = None  # inclusive range of a number (of a token map's values)
    high: float | None = None
    most: int | None = None  # most items of a list
    choices: tuple = ()  # a choice widget's options, before the whole numbers of the range
    api: bool = True  # a field of the API body (else the form's own input)
    required: bool = False  # a body without it cannot be sent (problem.<name>_missing)
    sent: str = ALWAYS
    nullable: bool = False  # null (not sent) in a loaded body means the default, not a bad value
    shared: bool = True  # carried in share links
    kept: bool = False  # loading a body keeps the current value (it is not part of a body)
    label: str | None = None  # catalog key naming the field in sentences; else its API name
    # The widget value that stands for the API's own default when a loaded body leaves the field
    # out: while the widget holds it, the field stays out of the body (see `unsent`).
    unset: Any = NO_WIDGET
    # The servers (lib/tokens kinds) that take the field; empty: every server. A field of other
    # servers is neither shown nor sent (what is shown is what is sent).
    servers: tuple = ()

    @property
    def options(self) -> tuple:
        """A choice widget's options: the listed choices, then each whole number of the range."""
        if self.widget == SELECT and self.kind == INT:
            return (*self.choices, *range(int(self.low), int(self.high) + 1))
        return self.choices


_ROWS = (
    Field("model", TEXT, "gpt-3.5-turbo-instruct", COMBO, required=True),
    Field("prompt_mode", CHOICE, "text", SEGMENTS, choices=PROMPT_MODES, api=False),
    Field("prompt", PROMPT, "", AREA, nullable=True),
    # max_tokens 16 (the API's default) is too short to try anything.
    Field("max_tokens", INT, 256, NUMBER, low=1),
    Field("temperature", FLOAT, 0.7, SLIDER, low=0.0, high=2.0),
    Field("top_p", FLOAT, 1.0, SLIDER, low=0.0, high=1.0),
    Field("n", INT, 1, NUMBER, low=1, high=MAX_N),
    # Off is the API's default, so an imported body without `stream` can be shown as it is.
    Field("stream", BOOL, True, TOGGLE, unset=False),
    Field(
        "logprobs",
        INT,
        LOGPROBS_OFF,
        SELECT,
        low=0,
        high=5,
        choices=(LOGPROBS_OFF,),
        sent=CHANGED,
        nullable=True,
    ),
    Field("stop", TEXT_LIST, [], TAGS, most=4, sent=CHANGED, nullable=True),
    Field("suffix", TEXT, "", LINE, sent=CHANGED, nullable=True),
    Field("echo", BOOL, False, TOGGLE, sent=CHANGED),
    Field("presence_penalty", FLOAT, 0.0, SLIDER, low=-2.0, high=2.0, sent=CHANGED),
    Field("frequency_penalty", FLOAT, 0.0, SLIDER, low=-2.0, high=2.0, sent=CHANGED),
    Field("best_of", INT, None, NUMBER, low=1, high=20, sent=CHANGED, nullable=True),
    Field("logit_bias", TOKEN_MAP, "", JSON, low=-100, high=100, sent=CHANGED, nullable=True),
    Field("seed", INT, None, NUMBER, sent=CHANGED, nullable=True),
    Field("user", TEXT, "", LINE, sent=CHANGED, nullable=True),
    # Samplers of llama.cpp-family servers and vLLM (shown and sent only to those servers).
    # Empty boxes send nothing: the server's own default applies.
    Field("top_k", INT, None, NUMBER, low=-1, sent=CHANGED, nullable=True, servers=TOP_K),
    Field(
        "min_p", FLOAT, None, DECIMAL, low=0.0, high=1.0, sent=CHANGED, nullable=True, servers=TOP_K
    ),
    Field(
        "repeat_penalty",
        FLOAT,
        None,
        DECIMAL,
        low=0.0,
        high=5.0,
        sent=CHANGED,
        nullable=True,
        servers=LLAMA_FAMILY,
    ),
    Field(
        "repetition_penalty",
        FLOAT,
        None,
        DECIMAL,
        low=0.01,
        high=5.0,
        sent=CHANGED,
        nullable=True,
        servers=(VLLM,),
    ),
    # llama-cpp-python names the mode `mirostat_mode`, llama.cpp's server `mirostat`.
    Field(
        "mirostat_mode", INT, 0, SELECT, low=0, high=2, sent=CHANGED, servers=(LLAMA_CPP_PYTHON,)
    ),
    Field("mirostat", INT, 0, SELECT, low=0, high=2, sent=CHANGED, servers=(LLAMA_CPP,)),
    Field(
        "mirostat_tau",
        FLOAT,
        None,
        DECIMAL,
        low=0.0,
        high=20.0,
        sent=CHANGED,
        nullable=True,
        servers=LLAMA_FAMILY,
    ),
    Field(
        "mirostat_eta",
        FLOAT,
        None,
        DECIMAL,
        low=0.0,
        high=1.0,
        sent=CHANGED,
        nullable=True,
        servers=LLAMA_FAMILY,
    ),
    Field("grammar", TEXT, "", AREA, sent=CHANGED, nullable=True, servers=LLAMA_FAMILY),
    # Set by the include_usage checkbox (with stream on); Extra JSON may add to it.
    Field("stream_options", OBJECT, shared=False),
    Field("include_usage", BOOL, True, CHECKBOX, api=False),
    # A JSON object merged into the body last, for server-specific fields.
    Field("extra_json", TEXT, "", JSON, api=False, label="field.extra_json"),
    # Appended to the prompt when sending / after the completion on Continue.
    Field("start_text", TEXT, "", LINE, api=False),
    Field("restart_text", TEXT, "", LINE, api=False, kept=True),
    # Fields a loaded body left out (each with an `unset` value): what is imported is what is sent.
    Field("unsent", TEXT_LIST, [], HIDDEN, api=False),
)
FIELDS: dict[str, Field] = {row.name: row for row in _ROWS}

# The body's fields in the order of the relay's own example (its first nine), then OpenAI's.
KEY_ORDER = tuple(row.name for row in _ROWS if row.api)
# Every widget's starting value, by widget key (= the field's name).
DEFAULTS: dict[str, Any] = {row.name: row.default for row in _ROWS if row.widget}
# Widget values a share link may carry, in the order they appear in it.
SHARED_FIELDS = tuple(row.name for row in _ROWS if row.shared)


def takes(row: Field, server: str | None) -> bool:
    """Whether a server of kind `server` (None: not known) takes the field."""
    return not row.servers or server in row.servers


def ordered(body: dict) -> dict:
    """The body with known fields in KEY_ORDER, then any extra fields as given."""
    known = {key: body[key] for key in KEY_ORDER if key in body}
    return {**known, **{k: v for k, v in body.items() if k not in known}}
