"""The message catalog is complete in both languages, and every page speaks the chosen one."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from lib.i18n import (
    COUNT,
    LANGUAGES,
    PLURAL_FORMS,
    Message,
    forms,
    language_for_locale,
    placeholders,
    t,
)
from lib.i18n.catalog import CATALOG
from lib.request.fields import KEY_ORDER
from tests.support.app import APP, prompt_box, shown, submit
from tests.support.paths import ROOT

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
    every_form = [form for lang in LANGUAGES for form in forms(entry[lang])]
    assert all(isinstance(form, str) and form.strip() for form in every_form), key
    # Every form of every language (a plural's "one" too) expects the same parameters.
    expected = placeholders(every_form[0])
    assert all(placeholders(form) == expected for form in every_form), key
    for lang in LANGUAGES:
        if isinstance(entry[lang], dict):
            assert tuple(entry[lang]) == PLURAL_FORMS.get(lang), f"{key}: {lang} plural forms"
            assert COUNT in expected, f"{key}: a plural is chosen by {{{COUNT}}}"
    # Literal braces are doubled: formatting with dummy values must work in every form.
    for count in (0, 1, 2):
        dummy = {name: count for name in expected}
        for lang in LANGUAGES:
            t(lang, key, **dummy)


PLURALS = sorted(k for k in CATALOG if any(isinstance(v, dict) for v in CATALOG[k].values()))


def test_counted_messages_have_plural_forms():
    # A number followed by "(s)" or by a plural noun whatever the number: "1 entries".
    english = {k: forms(v["en"]) for k, v in CATALOG.items()}
    bad = [
        k for k, texts in english.items() for text in texts if re.search(r"(?<!http)\(s\)", text)
    ]
    assert bad == []
    for key in ("conn.ok", "hist.caption", "hist.imported", "hist.skipped", "hist.tokens",
                "hist.dropped", "histfile.more", "hist.clear_body", "hist.showing"):  # fmt: skip
        assert key in PLURALS, key


@pytest.mark.parametrize(
    ("key", "params", "one", "other"),
    [
        ("conn.ok", {}, "Connected: 1 model available.", "Connected: 2 models available."),
        ("hist.imported", {}, "Imported 1 entry.", "Imported 2 entries."),
        ("hist.skipped", {}, "1 already present was skipped.", "2 already present were skipped."),
        ("histfile.more", {}, "…and 1 more problem.", "…and 2 more problems."),
        ("hist.tokens", {}, "1 token", "2 tokens"),
        ("hist.showing", {"shown": 1}, "Showing 1 of 1 matching run.",
         "Showing 1 of 2 matching runs."),
    ],
)  # fmt: skip
def test_english_picks_the_plural_form_by_count(key, params, one, other):
    assert t("en", key, count=1, **params) == one
    assert t("en", key, count=2, **params) == other
    assert t("en", key, count=0, **params) == other.replace("2", "0")
    assert Message(key, {"count": 1, **params}).text("en") == one


def test_chinese_has_one_form_for_any_count():
    assert t("zh", "hist.imported", count=1) == "已导入 1 条记录。"
    assert t("zh", "hist.imported", count=5) == "已导入 5 条记录。"
    assert t("zh", "conn.ok", count=1) == "连接成功：可用模型 1 个。"


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
ENGLISH_ONLY = {
    form
    for k in CATALOG
    if CATALOG[k]["en"] != CATALOG[k]["zh"]
    for form in forms(CATALOG[k]["en"])
}
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
def zh_app(make_app) -> AppTest:
    return make_app({"lang": "zh"})


def test_playground_speaks_chinese(zh_app, relay):
    at = zh_app
    assert at.button(key="btn_submit").label == "提交"
    at.selectbox(key="logprobs").set_value(2)
    at.number_input(key="n").set_value(2)
    at.text_area(key="logit_bias").set_value("{oops")
    at.run()
    assert "logit_bias 不是有效的 JSON：第 1 行第 2 列" in shown(at.warning)
    at.text_area(key="logit_bias").set_value("")
    prompt_box(at).set_value("你好")
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
    prompt_box(at).set_value("你好")
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


def test_chinese_readme_has_the_same_three_commands():
    def commands(name: str) -> list[str]:
        text = (ROOT / name).read_text()
        return [line for line in text.splitlines() if line.startswith("pip install -r")]

    assert commands("README.md") == commands("README.zh-CN.md")
    # with the local model, without it (the fast variant), and the tests
    assert len(commands("README.md")) == 3
