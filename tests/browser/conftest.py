"""Browser tests: pytest-playwright driving Debian's Chromium against pytest-django's live_server.

Playwright cannot download its own browser here, so it launches /usr/bin/chromium (installed by
scripts/ensure-system-packages.sh). Without it every test in this directory skips and says why.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made beside it
# (building personas, reading results) are plain synchronous code, so Django may allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} is missing: run scripts/ensure-system-packages.sh as root "
        "(apt-get install chromium) to run the browser tests"
    )
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    # A Beijing civil servant's browser: Chinese first, on Beijing time.
    return {
        **browser_context_args,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "viewport": {"width": 1280, "height": 900},
    }


class PageProblems:
    """Console errors, uncaught exceptions and CSP violations seen by one page, across navigations."""

    CSP_PREFIX = "CSP violation: "

    def __init__(self, page) -> None:
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        # Runs before any page script in every document and is not subject to the page's CSP;
        # it turns each violation into a console error so none is lost on navigation.
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', function (e) {"
            f"  console.error('{self.CSP_PREFIX}' + e.violatedDirective + ' ' + (e.blockedURI || 'inline'));"
            "});"
        )

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    @property
    def csp_violations(self) -> list[str]:
        return [e.removeprefix(self.CSP_PREFIX) for e in self.console_errors if e.startswith(self.CSP_PREFIX)]

    def assert_clean(self) -> None:
        assert self.csp_violations == [], self.csp_violations
        assert self.console_errors == [], self.console_errors
        assert self.page_errors == [], self.page_errors


@pytest.fixture
def page_problems(page) -> PageProblems:
    return PageProblems(page)


@pytest.fixture
def page(page):
    """A person who answers "OK" to the confirmations consequential buttons ask (data-confirm in
    static/govbuy/site.js); Playwright would dismiss them, and the step would not be sent."""
    page.on("dialog", lambda dialog: dialog.accept())
    return page
