"""The message catalog is complete in both languages, and every page speaks the chosen one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.catalog import CATALOG
from lib.i18n import LANGUAGES, Message, language_for_locale, placeholders, t
from lib.request import KEY_ORDER
from tests.test_playground_app import APP, shown, submit

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for p in (ROOT / "lib").rglob("*.py") if p.name != "catalog.py"] + [
    *(ROOT / "pages").glob("*.py"),
    ROOT / "streamlit_app.py",
]
# Keys built at run time from a prefix and a value (f"help.{name}", f"error.{status}", …).
DYNAMIC_PREFIXES = (
    "help.", "problem.", "error.", "run.status.", "conn.source.", "form.mode.", "hist.storage_",
    "json.", "form.example_", "code.lang.",
)  # fmt: skip


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_message_exists_in_both_languages_with_the_same_placeholders(key):
    entry = CATALOG[key]
    assert set(entry) == set(LANGUAGES), f"{key}: languages {sorted(entry)}"
    assert all(entry[lang].strip() for lang in LANGUAGES), f"{key}: empty text"
    assert placeholders(entry["en"]) == placeholders(entry["zh"]), key
    # Literal braces are doubled: formatting with dummy values must work in both languages.
    dummy = {name: 1 for name in placeholders(entry["en"])}
    for lang in LANGUAGES:
        t(lang, key, **dummy)


def _source() -> str:
    return "\n".join(path.read_text() for path in SOURCES)


KEY_IN_CALL = re.compile(
    r"(?:\btr|\bt|Message|ApiError\.client)\(\s*(?:lang,\s*|current\(\),\s*)?"
    r"[\"']([a-z_]+\.[a-z0-9_.]+)[\"']"
)


def test_every_key_the_code_names_is_in_the_catalog():
    named = set(KEY_IN_CALL.findall(_source()))
    assert len(named) > 100, "the pattern found few keys; has the lookup function changed?"
    assert named <= set(CATALOG), sorted(named - set(CATALOG))


def test_every_catalog_key_is_used():
    source = _source()
    unused = [
        key
        for key in CATALOG
        if f'"{key}"' not in source
        and f"'{key}'" not in source
        and not key.startswith(DYNAMIC_PREFIXES)
    ]
    assert unused == []


def test_language_follows_the_browser_locale():
    assert language_for_locale("zh-CN") == "zh" and language_for_locale("zh-TW") == "zh"
    assert language_for_locale("en-US") == "en" and language_for_locale(None) == "en"
    assert language_for_locale("fr-FR") == "en"


def test_messages_render_in_either_language():
    note = Message("share.bad_value", {"name": "temperature", "value": "9"})
    assert note.text("en") == "temperature=9 is not a valid value; it was reset to the default."
    assert note.text("zh") == "temperature=9 不是有效值，已重置为默认值。"


# -- every page, in Chinese ----------------------------------------------------------------
ENGLISH_ONLY = {CATALOG[k]["en"] for k in CATALOG if CATALOG[k]["en"] != CATALOG[k]["zh"]}
# Text that stays English on purpose: API field names, JSON, ids, model output, server messages.
ALLOWED_ENGLISH = re.compile(
    r"\b(?:" + "|".join(KEY_ORDER) + r"|logprob)\b|"
    r"gpt-3\.5-turbo-instruct|fake-instruct|stream_options\.include_usage|OPENAI_API_KEY"
    r"|Hello world|This is a test|Incorrect API key|finish_reason|HTTP \d+|"
    r"completions-playground|cmpl-fake"
)


TEXT_KINDS = ("markdown", "caption", "title", "subheader", "header", "info", "warning",
              "success")  # fmt: skip
WIDGET_KINDS = ("button", "toggle", "checkbox", "text_input", "text_area", "number_input",
                "slider", "selectbox", "multiselect", "button_group")  # fmt: skip


def _visible_texts(at: AppTest) -> list[str]:
    """Labels, help, placeholders, buttons, captions, notes, headings a reader sees.

    Error boxes are left out: they carry the server's own message, which stays as sent.
    """
    texts = [e.value for kind in TEXT_KINDS for e in getattr(at, kind)]
    for kind in WIDGET_KINDS:
        for element in getattr(at, kind):
            texts += [element.label, element.help, getattr(element, "placeholder", None)]
    texts += [e.label for e in (*at.metric, *at.expander, *at.tabs)]
    return [text for text in texts if isinstance(text, str) and text]


def _english_left(texts: list[str]) -> list[str]:
    leftovers = []
    for text in texts:
        plain = re.sub(r"\\(.)", r"\1", text)
        plain = ALLOWED_ENGLISH.sub("", plain)
        # Three English words in a row are a sentence someone forgot to translate.
        if re.search(r"\b[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}\b", plain) or any(
            len(e) > 5 and e in plain for e in ENGLISH_ONLY
        ):
            leftovers.append(text)
    return leftovers


@pytest.fixture
def zh_app(relay, monkeypatch) -> AppTest:
    monkeypatch.setenv("OPENAI_BASE_URL", relay.base_url)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["lang"] = "zh"
    at.run()
    assert not at.exception
    return at


def test_playground_speaks_chinese(zh_app, relay):
    at = zh_app
    assert at.button(key="btn_submit").label == "提交"
    at.selectbox(key="logprobs").set_value(2)
    at.number_input(key="n").set_value(2)
    at.text_area(key="logit_bias").set_value("{oops")
    at.run()
    assert "logit_bias 不是有效的 JSON：第 1 行第 2 列" in shown(at.warning)
    at.text_area(key="logit_bias").set_value("")
    at.text_area(key="prompt").set_value("你好")
    at.run()
    submit(at)
    left = _english_left(_visible_texts(at))
    assert left == [], left
    relay.scenario = "http_401"
    submit(at)
    errors = shown(at.error)
    assert "API 密钥无效" in errors and "Incorrect API key" in errors  # server text as sent
    assert _english_left(_visible_texts(at)) == []


def test_history_speaks_chinese(zh_app, relay):
    at = zh_app
    at.text_area(key="prompt").set_value("你好")
    submit(at)
    at.switch_page("pages/history.py").run()
    assert at.title[0].value == "历史记录"
    left = _english_left(_visible_texts(at))
    assert left == [], left
    at.file_uploader[0].upload("bad.json", b"{", "application/json").run()
    assert "未导入任何内容" in shown(at.error)


def test_switching_language_changes_the_page(relay, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", relay.base_url)
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert at.button(key="btn_submit").label == "Submit"
    at.selectbox(key="language").set_value("zh").run()
    assert at.button(key="btn_submit").label == "提交"
    assert at.query_params["lang"] in ("zh", ["zh"])  # chosen explicitly: links carry it
    at.switch_page("pages/history.py").run()
    assert at.title[0].value == "历史记录"  # kept across pages


def test_chinese_readme_has_the_same_two_commands():
    def commands(name: str) -> list[str]:
        text = (ROOT / name).read_text()
        return [line for line in text.splitlines() if line.startswith("pip install -r")]

    assert commands("README.md") == commands("README.zh-CN.md")
    assert len(commands("README.md")) == 2
