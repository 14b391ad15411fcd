"""Tests of lib.request.snippets, the "View code" programs.

Snippets whose toolchain is on this machine (curl through bash, Python with requests, Python with
the openai SDK, Node's fetch, Java, Go) are run against the fake relay, which records what it got:
the body must arrive as the same JSON value in the same key order, with the key from
OPENAI_API_KEY, and stdout must show the generated text. The Node SDK snippet runs with a stub in
place of the `openai` package. Go, PHP and raw HTTP (and the Node SDK and Java texts) are compared
with reviewed golden files in tests/request/golden/snippets/; the Go programs also pass `gofmt -l`
and `go vet`, the PHP programs `php -l` (skipped, saying so, where Go or PHP is not installed);
properties over random bodies check the embedded literals of every language that Python can read
back. The program text lives in template files beside the module: they are checked to be found
from any working directory, read once, valid and all in use.
"""

from __future__ import annotations

import ast
import getpass
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.request import snippets
from lib.request.snippets import LANGUAGES, snippet
from tests.support.fake_relay import FakeRelay
from tests.support.paths import ROOT
from tests.support.seed import SEED_EXAMPLE

KEY = "sk-snippet-test"
GOLDEN = Path(__file__).parent / "golden" / "snippets"
GOLDEN_BASE_URL = "https://api.gptnb.me/v1"
RUN_TIMEOUT = 30  # seconds; only there so a broken snippet cannot hang the run

# The relay's docs example, in its key order.
SEED: dict[str, Any] = SEED_EXAMPLE
STREAM: dict[str, Any] = {
    "model": "fake-instruct",
    "prompt": "Say this is a test",
    "max_tokens": 12,
    "temperature": 0.7,
    "top_p": 1,
    "n": 1,
    "stream": True,
    "logprobs": 2,
    "stop": ["\n", " lazy"],
    "seed": 42,
    "user": "snippet-test",
    "stream_options": {"include_usage": True},
    "top_k": 40,  # not a create() parameter of the Python SDK: goes to extra_body
}
# Everything a language could misread. `touch pwned` would create a file if any shell ran it.
HOSTILE_PROMPT = (
    'It\'s "quoted" \\ back\\slash \\n $HOME ${HOME} $(touch pwned) `touch pwned` %s %d %% {0}\n'
    "second\tline\r\n</script><!-- 你好 😀 \u2028 \u2029 \u202e \u200b \ufeff \x7f \x00 ''' end\\"
)
HOSTILE: dict[str, Any] = {
    "model": "fake-instruct",
    "prompt": HOSTILE_PROMPT,
    "max_tokens": 9,
    "stream": False,
    "stop": ["\n", "'\"`$HOME`\\"],
    "user": 'o\'brien "$USER" `id`',
    "logit_bias": {"50256": -100, "198": 5},
    "__proto__": {"polluted": True},  # a JS object literal would take this for the prototype
}
HOSTILE_STREAM = {**HOSTILE, "stream": True}
LONG: dict[str, Any] = {
    "model": "fake-instruct",
    "prompt": ("你好世界。" * 4000),  # 20,000 characters, 60,000 bytes
    "max_tokens": 5,
    "stream": True,
}
# The rich body of the golden files: stream on, every kind of value, hostile text.
GOLDEN_BODY: dict[str, Any] = {
    "model": "gpt-3.5-turbo-instruct",
    "prompt": HOSTILE_PROMPT,
    "max_tokens": 64,
    "temperature": 0.7,
    "top_p": 1,
    "n": 2,
    "stream": True,
    "logprobs": None,
    "stop": ["\n", "END"],
    "echo": False,
    "logit_bias": {"50256": -100},
    "stream_options": {"include_usage": True},
    "top_k": 40,
}
BODIES = {
    "seed": SEED,
    "stream": STREAM,
    "hostile": HOSTILE,
    "hostile_stream": HOSTILE_STREAM,
    "long": LONG,
}
EXECUTED = ("curl", "python", "python_openai", "javascript", "java")
GOLDEN_LANGUAGES = ("node_openai", "go", "java", "php", "http")


def subprocess_env() -> dict[str, str]:
    """This environment with the test key, UTF-8 output, and no proxy or other OpenAI setting."""
    env = {
        k: v
        for k, v in os.environ.items()
        if "proxy" not in k.lower() and not k.startswith("OPENAI_")
    }
    env.update(OPENAI_API_KEY=KEY, LC_ALL="C.UTF-8", PYTHONIOENCODING="utf-8")
    return env


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        args,
        cwd=cwd,
        env=subprocess_env() if env is None else env,
        capture_output=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    stdout, stderr = done.stdout.decode("utf-8"), done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, f"exit {done.returncode}\nstdout:\n{stdout}\nstderr:\n{stderr}"
    return stdout


def run_snippet(language: str, code: str, cwd: Path) -> str:
    """Run a snippet as a user would; its stdout."""
    if language == "curl":
        if len(code.encode()) > snippets.SHELL_ARG_LIMIT:
            # The snippet itself would be too long for one argument of bash -c.
            (cwd / "snippet.sh").write_text(code, encoding="utf-8")
            return run(["bash", "snippet.sh"], cwd)
        return run(["bash", "-c", code], cwd)
    if language in ("python", "python_openai"):
        (cwd / "snippet.py").write_text(code, encoding="utf-8")
        return run([sys.executable, "snippet.py"], cwd)
    if language in ("javascript", "node_openai"):
        (cwd / "snippet.mjs").write_text(code, encoding="utf-8")
        return run(["node", "snippet.mjs"], cwd)
    if language == "java":
        (cwd / "Completions.java").write_text(code, encoding="utf-8")
        # --release 11: the snippet promises Java 11, whatever javac this machine has.
        run(
            ["javac", "--release", "11", "-encoding", "UTF-8", "-d", "out", "Completions.java"], cwd
        )
        return run(["java", "-cp", "out", "Completions"], cwd)
    raise AssertionError(f"no runner for {language}")


def sse_text(stdout: str) -> str:
    """The text of a raw event stream as curl prints it."""
    pieces = []
    for line in stdout.split("\n"):  # not splitlines(): U+2028 may be inside the JSON
        if line.startswith("data:"):
            data = line[5:].strip()
            if data == "[DONE]":
                break
            pieces += [choice["text"] for choice in json.loads(data)["choices"]]
    return "".join(pieces)


def printed_text(language: str, stream: bool, stdout: str) -> str:
    """The completion text a snippet's stdout shows (choice 0; the bodies here have n = 1)."""
    if stream and language == "curl":
        return sse_text(stdout)
    if stream or language == "python_openai":
        assert stdout.endswith("\n")
        return stdout[:-1]  # the text as it arrived, then one newline
    return json.loads(stdout)["choices"][0]["text"]  # the whole response, as JSON


def assert_received(relay: FakeRelay, body: dict[str, Any], keep_order: bool = True) -> None:
    assert len(relay.received) == 1
    got = relay.last
    assert (got["method"], got["path"]) == ("POST", "/v1/completions")
    assert got["body"] == body
    if keep_order:
        assert list(got["body"]) == list(body)
    assert got["headers"]["authorization"] == f"Bearer {KEY}"
    assert got["headers"]["content-type"].startswith("application/json")


# --------------------------------------------------------------------------------------------
# Executed against the fake relay
# --------------------------------------------------------------------------------------------

# The 20,000-character prompt runs where a shell argument or a string literal could choke; Java
# has its own large-body test and, being slow to start, skips the hostile non-stream body
# (hostile_stream has the same text, seed the same code path).
RUNS = [
    (language, name)
    for language in EXECUTED
    for name in BODIES
    if (name != "long" or language in ("curl", "python", "javascript"))
    and (language, name) != ("java", "hostile")
]


@pytest.mark.parametrize(("language", "name"), RUNS)
def test_snippet_sends_the_body_and_prints_the_text(
    language: str, name: str, relay: FakeRelay, tmp_path: Path
) -> None:
    body = BODIES[name]
    stdout = run_snippet(language, snippet(language, relay.base_url, body), tmp_path)
    # The Python SDK writes the body in its own parameter order; the value is the same.
    assert_received(relay, body, keep_order=language != "python_openai")
    assert printed_text(language, body["stream"], stdout) == relay.expected_text(body)
    assert not (tmp_path / "pwned").exists()  # no shell ran anything from the body


def test_curl_streams_raw_events_with_usage(relay: FakeRelay, tmp_path: Path) -> None:
    stdout = run_snippet("curl", snippet("curl", relay.base_url, STREAM), tmp_path)
    assert stdout.rstrip().endswith("data: [DONE]")
    assert '"usage": {"prompt_tokens"' in stdout  # stream_options.include_usage reached it


def test_curl_sends_a_body_too_long_for_one_argument(relay: FakeRelay, tmp_path: Path) -> None:
    body = {"model": "fake-instruct", "prompt": "长" * 50_000, "max_tokens": 3, "stream": False}
    code = snippet("curl", relay.base_url, body)
    assert "<<'JSON'" in code  # 150 KB: over Linux's 128 KiB limit for one argument
    stdout = run_snippet("curl", code, tmp_path)
    assert_received(relay, body)
    assert printed_text("curl", False, stdout) == relay.expected_text(body)


@pytest.mark.parametrize(
    "prompt",
    [
        "长" * 30_000,  # 90 KB: over javac's 64 KiB limit for one string constant
        list(range(20_000)),  # 20,000 lines: over the 64 KiB bytecode limit of one literal each
    ],
    ids=["long-text", "many-token-ids"],
)
def test_java_compiles_and_sends_a_large_body(
    prompt: Any, relay: FakeRelay, tmp_path: Path
) -> None:
    body = {"model": "fake-instruct", "prompt": prompt, "max_tokens": 3, "stream": True}
    stdout = run_snippet("java", snippet("java", relay.base_url, body), tmp_path)
    assert_received(relay, body)
    assert printed_text("java", True, stdout) == relay.expected_text(body)


def test_python_sdk_leaves_out_a_missing_prompt(relay: FakeRelay, tmp_path: Path) -> None:
    # create() requires `prompt`; the playground leaves it out when the prompt box is empty.
    body = {"model": "fake-instruct", "max_tokens": 3, "stream": False}
    code = snippet("python_openai", relay.base_url, body)
    stdout = run_snippet("python_openai", code, tmp_path)
    assert_received(relay, body, keep_order=False)
    assert stdout == relay.expected_text(body) + "\n"


# The `openai` package replaced by a class that prints what create() was given.
NODE_SDK_STUB = """\
class OpenAI {
  constructor(options) {
    this.completions = {
      create: async (body) => {
        console.log(JSON.stringify({ options, body }));
        return { choices: [], async *[Symbol.asyncIterator]() {} };
      },
    };
  }
}"""


@pytest.mark.parametrize("name", ["seed", "stream", "hostile", "hostile_stream"])
def test_node_sdk_snippet_passes_the_body(name: str, tmp_path: Path) -> None:
    body = BODIES[name]
    code = snippet("node_openai", "http://127.0.0.1:9/v1", body)
    assert code.count('import OpenAI from "openai";') == 1
    stdout = run_snippet(
        "node_openai", code.replace('import OpenAI from "openai";', NODE_SDK_STUB), tmp_path
    )
    got = json.loads(stdout.split("\n")[0])
    assert got["options"] == {"baseURL": "http://127.0.0.1:9/v1", "apiKey": KEY}
    assert got["body"] == body
    assert list(got["body"]) == list(body)
    if "logit_bias" in body:
        # A known limit of JavaScript objects: integer-like keys come first, ascending. Same
        # JSON value; only the order inside logit_bias differs.
        assert list(got["body"]["logit_bias"]) == sorted(body["logit_bias"], key=int)


# --------------------------------------------------------------------------------------------
# Golden files (reviewed by eye; regenerate by writing snippet(...) + "\n" to the file)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", GOLDEN_LANGUAGES)
@pytest.mark.parametrize(
    ("suffix", "body"), [("", GOLDEN_BODY), ("_seed", SEED)], ids=["rich", "seed"]
)
def test_golden(language: str, suffix: str, body: dict[str, Any]) -> None:
    expected = (GOLDEN / f"{language}{suffix}.txt").read_text(encoding="utf-8")
    assert snippet(language, GOLDEN_BASE_URL, body) + "\n" == expected


# --------------------------------------------------------------------------------------------
# Go and PHP: their own tools read the programs (the golden files only show them)
# --------------------------------------------------------------------------------------------

needs_go = pytest.mark.skipif(
    not (shutil.which("go") and shutil.which("gofmt")),
    reason="Go is not installed (apt-get install golang-go): Go snippets have golden files only",
)
needs_php = pytest.mark.skipif(
    not shutil.which("php"),
    reason="PHP is not installed (apt-get install php-cli): PHP snippets have golden files only",
)
# Both variants (stream on and off), hostile text, backticks, a 60 KB prompt.
CHECKED = {**BODIES, "golden": GOLDEN_BODY}
# The Go version the snippet promises: vet refuses language features newer than it.
GO_MOD = "module snippets\n\ngo 1.16\n"
# The go command's build cache, kept between runs: with it empty, vetting net/http and what it
# imports takes seconds; with it filled, a fraction of one. Go checks what it reads from it.
GO_CACHE = Path(tempfile.gettempdir()) / f"snippet-tests-go-cache-{getpass.getuser()}"


@pytest.fixture(scope="module")
def go_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment for the go command: a writable home and cache, and no network."""
    home = tmp_path_factory.mktemp("go-home")
    return {
        **subprocess_env(),
        "HOME": str(home),
        "GOCACHE": str(GO_CACHE),
        "GOPATH": str(home / "path"),
        "GO111MODULE": "on",
        "GOFLAGS": "-mod=mod",
        "GOPROXY": "off",
        "GOTOOLCHAIN": "local",
        "GOTELEMETRY": "off",
    }


def go_module(root: Path, programs: dict[str, str]) -> Path:
    """A Go module in `root` with each program saved as a user would: `<name>/main.go`."""
    (root / "go.mod").write_text(GO_MOD, encoding="utf-8")
    for name, code in programs.items():
        (root / name).mkdir()
        (root / name / "main.go").write_text(code + "\n", encoding="utf-8")
    return root


@needs_go
def test_go_snippets_are_gofmt_clean(tmp_path: Path, go_env: dict[str, str]) -> None:
    programs = {name: snippet("go", GOLDEN_BASE_URL, body) for name, body in CHECKED.items()}
    programs |= {
        f"tricky{i}": snippet("go", GOLDEN_BASE_URL, b) for i, b in enumerate(tricky_bodies())
    }
    go_module(tmp_path, programs)
    # gofmt -l names each file it would change; a syntax error is a non-zero exit.
    assert run(["gofmt", "-l", "."], tmp_path, go_env) == ""


@needs_go
def test_go_snippets_pass_go_vet(tmp_path: Path, go_env: dict[str, str]) -> None:
    go_module(tmp_path, {name: snippet("go", GOLDEN_BASE_URL, b) for name, b in CHECKED.items()})
    # vet type-checks every package (unused imports, wrong calls) and runs its analyzers.
    assert run(["go", "vet", "./..."], tmp_path, go_env) == ""


@needs_go
@pytest.mark.parametrize("name", BODIES)
def test_go_snippet_sends_the_body_and_prints_the_text(
    name: str, relay: FakeRelay, tmp_path: Path, go_env: dict[str, str]
) -> None:
    body = BODIES[name]
    go_module(tmp_path, {"snippet": snippet("go", relay.base_url, body)})
    run(["go", "build", "-o", "completions", "./snippet"], tmp_path, go_env)
    stdout = run([str(tmp_path / "completions")], tmp_path)
    assert_received(relay, body)
    assert printed_text("go", body["stream"], stdout) == relay.expected_text(body)


@needs_php
def test_php_snippets_pass_php_lint(tmp_path: Path) -> None:
    for i, body in enumerate([*CHECKED.values(), *tricky_bodies()]):
        (tmp_path / f"completions{i}.php").write_text(
            snippet("php", GOLDEN_BASE_URL, body) + "\n", encoding="utf-8"
        )
        # -n: no php.ini, the same verdict on every machine. A parse error exits with 255.
        out = run(["php", "-n", "-l", f"completions{i}.php"], tmp_path)
        assert out.startswith(f"No syntax errors detected in completions{i}.php"), out


# --------------------------------------------------------------------------------------------
# Every language
# --------------------------------------------------------------------------------------------


def test_unknown_language_is_an_error() -> None:
    with pytest.raises(ValueError, match="cobol"):
        snippet("cobol", GOLDEN_BASE_URL, SEED)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", BODIES)
def test_the_key_is_never_in_a_snippet(language: str, name: str) -> None:
    # snippet() takes no key; it must point at the environment (or a placeholder) instead.
    code = snippet(language, "https://user:sk-in-url-0123@relay.example/v1/", BODIES[name])
    assert ("OPENAI_API_KEY" in code) != (language == "http")
    assert ("{{YOUR_API_KEY}}" in code) == (language == "http")
    assert "sk-" not in code
    assert "relay.example" in code
    assert "@relay.example" not in code  # credentials in the base URL are dropped


@pytest.mark.parametrize("language", LANGUAGES)
def test_url_is_base_url_plus_completions(language: str) -> None:
    code = snippet(language, "  https://relay.example:8443/openai/v1/  ", SEED)
    if language == "http":
        assert code.startswith("POST /openai/v1/completions HTTP/1.1\nHost: relay.example:8443\n")
    elif language in ("python_openai", "node_openai"):
        assert 'https://relay.example:8443/openai/v1"' in code  # the SDK adds /completions
        assert "/completions" not in code
    else:
        assert "https://relay.example:8443/openai/v1/completions" in code
        assert "v1//" not in code


def test_query_of_a_base_url_stays_after_the_path() -> None:
    code = snippet("curl", "https://relay.example/v1?api-version=2", SEED)
    assert "'https://relay.example/v1/completions?api-version=2'" in code


def test_non_string_keys_are_sent_as_json_sends_them() -> None:
    code = snippet("http", GOLDEN_BASE_URL, {"model": "m", "logit_bias": {50256: -100}})
    assert '"50256": -100' in code


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("stream", [True, False])
def test_streaming_only_when_stream_is_true(language: str, stream: bool) -> None:
    code = snippet(language, GOLDEN_BASE_URL, {**SEED, "stream": stream})
    markers = {
        "curl": "--no-buffer",
        "python": "iter_lines",
        "python_openai": "for chunk in",
        "javascript": "getReader",
        "node_openai": "for await",
        "go": "bufio.NewScanner",
        "java": "readLine",
        "php": "CURLOPT_WRITEFUNCTION",
        "http": "Accept: text/event-stream",
    }
    assert (markers[language] in code) == stream


@pytest.mark.parametrize("language", ["python", "python_openai"])
@pytest.mark.parametrize("name", BODIES)
def test_python_snippets_compile(language: str, name: str) -> None:
    compile(snippet(language, GOLDEN_BASE_URL, BODIES[name]), "snippet.py", "exec")


# --------------------------------------------------------------------------------------------
# Templates: the program text, beside the module
# --------------------------------------------------------------------------------------------

TEMPLATES = Path(snippets.__file__).parent / "templates"


def test_templates_are_found_from_any_working_directory(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from lib.request.snippets import snippet\n"
        "print(snippet('go', 'https://relay.example/v1', {'stream': True}))\n"
        "print('streamlit' in sys.modules)\n"
    )
    env = {**subprocess_env(), "PYTHONPATH": str(ROOT)}
    stdout = run([sys.executable, "-c", code], tmp_path, env)  # tmp_path: not the repository
    assert stdout == snippet("go", "https://relay.example/v1", {"stream": True}) + "\nFalse\n"


def test_templates_are_read_once_at_import(monkeypatch: pytest.MonkeyPatch) -> None:
    bodies = [{**SEED, "stream": True}, SEED, {"model": "m", "top_k": 1}]
    expected = [snippet(language, GOLDEN_BASE_URL, b) for language in LANGUAGES for b in bodies]

    def no_reading(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"a file was opened while rendering: {args}")

    monkeypatch.setattr("builtins.open", no_reading)
    monkeypatch.setattr("io.open", no_reading)
    assert [snippet(language, GOLDEN_BASE_URL, b) for language in LANGUAGES for b in bodies] == (
        expected
    )


def test_every_template_is_valid_and_used(monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted(path.name for path in TEMPLATES.iterdir())
    assert all(name.endswith(".tmpl") for name in files)  # nothing the loader would skip
    assert len(snippets._TEMPLATES) == len(files)  # no two files with one name
    for name, template in snippets._TEMPLATES.items():
        assert name.split(".")[0] in LANGUAGES, name
        assert template.is_valid(), name  # every "@" starts a placeholder or is "@@"
    used = set()
    fill = snippets._fill

    def spy(name: str, **values: str) -> str:
        used.add(name)
        return fill(name, **values)

    monkeypatch.setattr(snippets, "_fill", spy)
    for language in LANGUAGES:
        # Stream on and off; an extra field and a missing prompt for the Python SDK's parts.
        for body in ({**SEED, "stream": True}, SEED, {"model": "m", "top_k": 1}):
            snippet(language, GOLDEN_BASE_URL, body)
    assert used == set(snippets._TEMPLATES)


def test_fill_drops_an_empty_placeholder_line_and_refuses_a_wrong_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(snippets._TEMPLATES, "t", snippets._Template("a\n@part\nb @value\n@@x"))
    assert snippets._fill("t", part="", value="1") == "a\nb 1\n@x"
    # Values go in as they are: a "$" or "@" in them is not read again.
    assert snippets._fill("t", part="p\nq", value="$HOME @part") == "a\np\nq\nb $HOME @part\n@x"
    with pytest.raises(ValueError, match="value"):
        snippets._fill("t", part="")  # a template typo ("@valeu") fails the same way
    with pytest.raises(ValueError, match="extra"):
        snippets._fill("t", part="", value="", extra="")


# --------------------------------------------------------------------------------------------
# Properties: embedded literals read back as the body, for any body
# --------------------------------------------------------------------------------------------

# Characters that need care somewhere, mixed with any others (surrogates included).
NASTY = [
    *"'\"\\`$%{}\n\r\t\x00\x7f\x85\u2028\u2029\u202e\u200b\u200d\ufeff<>/!#;&|*?~",
    "</script>",
    "${x}",
    "'\\''",
    "JSON",
    "\nJSON\n",
    "你好",
    "😀",
    "\ud800",
    "\udfff",
]
TEXT = st.lists(st.sampled_from(NASTY) | st.characters(exclude_categories=()), max_size=12).map(
    "".join
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
BODY = st.dictionaries(TEXT, VALUES, max_size=5).map(lambda extra: {"model": "m", **extra})
PROPERTY = settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def python_assignment(code: str, name: str) -> Any:
    for node in ast.parse(code).body:
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == name:
            return ast.literal_eval(node.value)
    return None


def wire(body: dict[str, Any]) -> dict[str, Any]:
    """`body` as a server reads it: JSON joins the escapes of two lone surrogates that form a
    pair ("\ud800\udfff") into one character."""
    return json.loads(json.dumps(body))


def same_json(a: Any, b: Any) -> bool:
    """Equal as JSON values, dict key order included (== ignores it)."""
    return json.dumps(a) == json.dumps(b)


@PROPERTY
@given(BODY)
def test_python_literal_is_the_body(body: dict[str, Any]) -> None:
    assert same_json(python_assignment(snippet("python", GOLDEN_BASE_URL, body), "body"), body)
    sdk = snippet("python_openai", GOLDEN_BASE_URL, body)
    known, extra = python_assignment(sdk, "body"), python_assignment(sdk, "extra_body") or {}
    assert set(known) <= snippets.OPENAI_PY_PARAMS
    assert wire({**known, **extra}) == wire(body)  # the SDK orders the keys itself


@PROPERTY
@given(BODY)
def test_curl_data_is_the_json_text(body: dict[str, Any]) -> None:
    code = snippet("curl", GOLDEN_BASE_URL, body)
    # shlex reads single quotes as POSIX shells do; backslash-newline continues the line.
    words = shlex.split(code.replace("\\\n", " "))
    data = words[words.index("--data-raw") + 1]
    assert data == snippets.json_text(wire(body))
    assert same_json(json.loads(data), body)


def join_pieces(expression: str, raw: str, template: bool = False) -> str:
    """The string a concatenation of raw-string pieces (pattern `raw`, group `content`) and
    "`" literals evaluates to; `template`: JavaScript, where "${" would be a substitution."""
    token = re.compile(rf'(?P<raw>{raw})|(?P<tick>"`")|(?P<plus> \+ )', re.S)
    out, at = [], 0
    while at < len(expression):
        match = token.match(expression, at)
        assert match, expression[at : at + 40]
        if match["raw"] is not None:
            assert not (template and "${" in match["content"])
            out.append(match["content"])
        elif match["tick"]:
            out.append("`")
        at = match.end()
    return "".join(out)


@PROPERTY
@given(BODY)
def test_go_and_javascript_raw_strings_are_the_json_text(body: dict[str, Any]) -> None:
    text = snippets.json_text(wire(body))
    go = snippet("go", GOLDEN_BASE_URL, body)
    expression = go.split("const body = ", 1)[1].split("\n\nfunc main()", 1)[0]
    assert join_pieces(expression, r"`(?P<content>[^`]*)`") == text
    js = snippet("javascript", GOLDEN_BASE_URL, body)
    expression = js.split("const body = ", 1)[1].split(";\n\nconst response", 1)[0]
    raw = join_pieces(expression, r"String\.raw`(?P<content>(?:[^`\\]|\\.)*)`", template=True)
    assert same_json(json.loads(raw), body)  # "</" is written "<\/", which JSON reads as "</"


@PROPERTY
@given(BODY)
def test_php_nowdoc_and_http_body_are_the_json_text(body: dict[str, Any]) -> None:
    text = snippets.json_text(wire(body))
    php = snippet("php", GOLDEN_BASE_URL, body).split("\n")
    start = php.index("$body = <<<'JSON'") + 1
    # PHP 7.3+ ends a nowdoc at the first line that is, after indentation, the marker.
    end = next(i for i in range(start, len(php)) if re.match(r"\s*JSON\b", php[i]))
    assert php[end] == "JSON;"
    assert "\n".join(php[start:end]) == text
    http = snippet("http", GOLDEN_BASE_URL, body)
    assert http.split("\n\n", 1)[1] == text


@PROPERTY
@given(BODY)
def test_no_invisible_characters_in_any_snippet(body: dict[str, Any]) -> None:
    for language in LANGUAGES:
        code = snippet(language, GOLDEN_BASE_URL, body)
        hidden = {
            ch
            for ch in code
            if ch not in "\n\t" and unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Zl", "Zp"}
        }
        assert not hidden, (language, hidden)
        code.encode("utf-8")  # no lone surrogate: every snippet can be saved as UTF-8


def tricky_bodies() -> list[dict[str, Any]]:
    """Bodies for the real-engine checks below: each tricky piece, then random mixtures."""
    rng = random.Random(2026)
    bodies = [{"model": "m", "prompt": piece} for piece in NASTY]
    bodies.append({"model": "m", "__proto__": {"polluted": True}})
    for _ in range(40):
        text = "".join(
            rng.choice(NASTY) if rng.random() < 0.5 else chr(rng.randrange(0x110000))
            for _ in range(20)
        )
        bodies.append({"model": "m", "prompt": text, text: [text, {text: None}]})
    return bodies


def test_node_reads_the_sdk_literals_as_the_bodies(tmp_path: Path) -> None:
    bodies = tricky_bodies()
    literals = [
        snippet("node_openai", GOLDEN_BASE_URL, body).split("const body = ", 1)[1]
        for body in bodies
    ]
    literals = [literal.split(";\n\nconst ", 1)[0] for literal in literals]
    script = "const bodies = [\n" + ",\n".join(literals) + "\n];\n"
    script += "process.stdout.write(JSON.stringify(bodies));\n"
    (tmp_path / "literals.mjs").write_text(script, encoding="utf-8")
    got = json.loads(run(["node", "literals.mjs"], tmp_path))
    assert got == [wire(body) for body in bodies]


def test_bash_reads_the_curl_data_as_the_json_text(tmp_path: Path) -> None:
    bodies = tricky_bodies()
    words = [snippet("curl", GOLDEN_BASE_URL, body).split("--data-raw ", 1)[1] for body in bodies]
    script = "".join(f"printf '%s\\0' {word}\n" for word in words)
    (tmp_path / "data.sh").write_text(script, encoding="utf-8")
    got = run(["bash", "data.sh"], tmp_path).split("\0")[:-1]
    assert got == [snippets.json_text(wire(body)) for body in bodies]
    assert [json.loads(text) for text in got] == [wire(body) for body in bodies]


def test_json_text_is_json_dumps_when_nothing_is_invisible() -> None:
    for body in BODIES.values():
        if body is not HOSTILE and body is not HOSTILE_STREAM:
            assert snippets.json_text(wire(body)) == json.dumps(body, ensure_ascii=False, indent=2)
    assert "\\u2028" in snippets.json_text(HOSTILE)
    assert json.loads(snippets.json_text(HOSTILE)) == HOSTILE


def test_java_pieces_stay_under_javac_limits() -> None:
    for prompt in ("长" * 30_000, list(range(20_000)), "😀" * 9_000):
        pieces = snippets._java_pieces(snippets.json_text({"prompt": prompt}))
        assert len(pieces) <= snippets.JAVA_MAX_PIECES
        # Modified UTF-8: 3 bytes for U+0800..U+FFFF, 6 for a surrogate pair.
        assert max(len(p.encode("utf-16-le")) // 2 * 3 for p in pieces) < 65_535
