"""First journey: sign in, switch language, sign out — in a real Chromium."""

from __future__ import annotations

import re

import pytest
from django.utils.translation import gettext, override

from govbuy.core.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def translated(msgid: str, language: str) -> str:
    """The rendering the compiled catalogues give; follows the project's translations as they land."""
    with override(language):
        return gettext(msgid)


def label_for(page, field_name: str) -> str:
    field_id = page.locator(f"main form [name='{field_name}']").get_attribute("id")
    return page.locator(f"label[for='{field_id}']").inner_text().strip()


def assert_language(page, language: str) -> None:
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("#language-select").input_value() == language
    selected = page.locator("#language-select option:checked")
    assert selected.get_attribute("value") == language
    # Project strings, as the catalogue renders them in this language.
    assert page.locator("label[for='language-select']").inner_text().strip() == translated("Language", language)
    assert page.locator("#language-submit").inner_text().strip() == translated("Switch", language)


def switch_language(page, language: str) -> None:
    page.select_option("#language-select", language)
    with page.expect_navigation():
        page.click("#language-submit")


def test_sign_in_switch_language_sign_out(world, live_server, page, page_problems, tmp_path):
    persona = world.provider_a  # a provider's staff: no two-factor step
    page.goto(f"{live_server.url}/workspace/")

    # Not signed in: the login page, in Simplified Chinese (the browser asks for zh-CN).
    assert re.search(r"/accounts/login/\?next=/workspace/$", page.url)
    assert_language(page, "zh-hans")
    password_zh = label_for(page, "password")
    assert password_zh.startswith(translated("Password", "zh-hans"))
    assert not password_zh.startswith("Password")

    page.fill("main form [name='username']", persona.get_username())
    page.fill("main form [name='password']", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type='submit']")

    assert page.url == f"{live_server.url}/workspace/"
    assert_language(page, "zh-hans")
    assert page.locator("#logout-button").inner_text().strip() == translated("Sign out", "zh-hans")
    assert page.locator("#user-name").is_visible()

    switch_language(page, "en")
    assert page.url == f"{live_server.url}/workspace/"
    assert_language(page, "en")
    assert page.locator("#logout-button").inner_text().strip() == "Sign out"

    switch_language(page, "zh-hant")
    assert_language(page, "zh-hant")
    assert page.locator("#logout-button").inner_text().strip() == translated("Sign out", "zh-hant")

    screenshot = tmp_path / "home-zh-hant.png"
    page.screenshot(path=str(screenshot), full_page=True)
    data = screenshot.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 1000

    with page.expect_navigation():
        page.click("#logout-button")
    assert "/accounts/login/" in page.url
    # The language choice outlives the session; Django's own catalogue proves the text changed.
    assert_language(page, "zh-hant")
    password_hant = label_for(page, "password")
    assert password_hant.startswith(translated("Password", "zh-hant"))
    assert password_hant != password_zh
    assert page.locator("#logout-button").count() == 0

    # Signed out for real: the staff home sends us back to the login.
    page.goto(f"{live_server.url}/workspace/")
    assert "/accounts/login/" in page.url

    page_problems.assert_clean()


def test_pages_raise_no_console_errors_or_csp_violations(world, live_server, page, page_problems):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("main form [name='username']", world.provider_a.get_username())
    page.fill("main form [name='password']", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type='submit']")
    for path in ("/", "/workspace/", "/accounts/security/", "/api/v1/docs/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    page_problems.assert_clean()


def test_a_blocked_inline_script_is_reported(live_server, page, page_problems, db):
    """The listener itself works: an inline script without the nonce is refused and seen."""
    page.goto(f"{live_server.url}/healthz")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.x") is None
    assert any("script-src" in v for v in page_problems.csp_violations), page_problems.console_errors


def test_the_site_works_without_javascript(world, live_server, browser):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("main form [name='username']", world.provider_a.get_username())
        page.fill("main form [name='password']", PASSWORD)
        with page.expect_navigation():
            page.click("main form button[type='submit']")
        assert page.url == f"{live_server.url}/workspace/"
        switch_language(page, "en")
        assert page.locator("html").get_attribute("lang") == "en"
        with page.expect_navigation():
            page.click("#logout-button")
        assert "/accounts/login/" in page.url
    finally:
        context.close()


def test_layout_fits_a_phone_screen(world, live_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 375, "the page scrolls sideways on a phone"
        assert page.locator("#language-submit").is_visible()
    finally:
        context.close()
