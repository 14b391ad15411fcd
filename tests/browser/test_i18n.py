"""中文 / English in real Chromium: the browser's language first, then the reader's choice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.browser import ROOT, open_app

pytestmark = pytest.mark.browser
SHOTS = ROOT / "test-artifacts"


def shoot(page, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_chinese_browser_gets_chinese_without_a_lang_parameter(browser, app_url, relay):
    context, page = open_app(browser, app_url, locale="zh-CN")
    expect(page.get_by_role("button", name=re.compile("^提交"))).to_be_visible()
    expect(page.get_by_role("textbox", name="文档", exact=True)).to_be_visible()
    expect(page).to_have_title(re.compile("文本补全调试台"))
    assert "lang=" not in page.url  # not chosen, so links do not impose it
    shoot(page, "playground-zh")  # an artifact for people to look at, not an assertion
    page.get_by_role("link", name="历史记录").click()
    page.get_by_text("还没有记录").wait_for()
    shoot(page, "history-zh")
    context.close()


def test_switching_language_in_the_sidebar(browser, app_url, relay):
    context, page = open_app(browser, app_url, locale="en-US")
    expect(page.get_by_role("button", name=re.compile("^Submit"))).to_be_visible()
    expect(page.get_by_role("textbox", name="Document", exact=True)).to_be_visible()
    shoot(page, "playground-en")
    page.get_by_role("combobox", name=re.compile("Language")).click()
    page.get_by_role("option", name="中文").click()
    expect(page.get_by_role("button", name=re.compile("^提交"))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Submit"))).to_have_count(0)
    expect(page.get_by_role("textbox", name="文档", exact=True)).to_be_visible()
    page.wait_for_function("() => location.search.includes('lang=zh')")  # chosen: links carry it
    shoot(page, "playground-zh-chosen")
    page.get_by_role("link", name="历史记录").click()
    page.get_by_text("还没有记录").wait_for()  # the choice holds on the other page
    context.close()
