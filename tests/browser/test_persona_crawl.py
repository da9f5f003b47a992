"""Issue 16's checks, in a real Chromium over the demo data: from each persona's home, visit the
pages reachable by links and fail on an error status, an axe-core violation of WCAG 2.1 A/AA
rated serious or critical, an ISO timestamp or "+00:00" in visible text, an amount of yuan without
thousands separators, and Latin-alphabet words on a Simplified Chinese page outside an allow-list.

Screenshots of each persona's home and of a public tender notice, 1366 and 390 pixels wide, go to
var/screenshots/ (not committed) for people to look at.
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from govbuy.accounts.testing import force_login_verified
from govbuy.procurement.models import Tender, TenderStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PERSONAS = {
    "public": None,
    "purchaser": "dongcheng.health",
    "provider": "sunshine",
    "expert": "expert.zhang",
    "finance": "city.finance",
    "audit": "auditor",
    "supervision": "supervision",
}
PAGES_PER_PERSONA = 14
# Pages visited first, whatever the home links to: the long forms and filtered lists.
FIRST_PAGES = {
    "public": ["/tenders/?status=awarded", "/search/"],
    "purchaser": ["/planning/projects/new/"],
    "audit": ["/audit/?action=procurement."],
}
WIDTHS = (1366, 390)

# Links a crawl must not follow: files, sign-out, the admin and the API, language switching.
SKIP_PATH = re.compile(
    r"^/(api|admin|i18n|static|media)/|^/accounts/logout|\.(pdf|xlsx|csv|json|zip)$|/([\w-]*documents?|record|report|export|download)(/|$)"
)
ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\+00:00")
# A number of yuan: five or more digits before the decimal point with no separator.
UNGROUPED_AMOUNT = re.compile(r"(?<![\d,.\w])\d{5,}\.\d{2}(?!\d)")
# Words that are codes or names, not UI text.
LATIN_ALLOWED = {
    "OCDS",
    "API",
    "PDF",
    "USCC",
    "sha",
    "SHA",
    "ID",
    "JSON",
    "CSV",
    "xlsx",
    "Excel",
    "IP",
    "TOTP",
    "OpenAPI",
    "REST",
    "http",
    "https",
    "Authorization",  # the HTTP header API clients send
    "Bearer",
    "KB",  # file sizes and names
    "MB",
    "pdf",
    "docx",
    "HT",  # contract references: …-HT1 (合同, from an award), …-WT1 (委托, a commission)
    "WT",
    "JD",  # monitoring case references: JD-2026-000001 (监督)
}
# The open-data page documents the OCDS format: its field names are codes.
LATIN_ALLOWED_ON = {
    "/ocds/": {"links", "next", "ocid", "ocids", "CNY", "CN", "govbuy", "catalog"},
}
# Codes inside text: hashes, ocids, e-mail addresses, references.
CODES = re.compile(r"(?<![0-9a-zA-Z])[0-9a-f]{12,}…?|ocds-[\w-]+|[\w.+-]+@[\w-]+(\.[\w-]+)+|\b\d[\w-]*\d[A-Z]\d*\b")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

# Visible text of the page without code, hashes and text marked as another language.
VISIBLE_ZH_TEXT = """() => {
  const other = 'code, kbd, samp, pre, script, style, [translate=no], .receipt, [lang]:not([lang^=zh])';
  const skip = (el) => el.closest(other);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const out = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || skip(el) || !el.getClientRects().length) continue;
    out.push(node.textContent);
  }
  return out.join(' ');
}"""
AXE_RUN = """async () => {
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""


@pytest.fixture
def demo(db, settings):
    settings.GOVBUY_ENFORCE_TWO_FACTOR = True
    call_command("seed_demo", verbosity=0)


def _sign_in(context, live_server, username: str | None) -> None:
    if username is None:
        return
    client = Client()
    force_login_verified(client, get_user_model().objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


def _problems_of(page, url: str, status: int, axe_source: str) -> list[str]:
    problems = []
    if status >= 400:
        return [f"{url}: HTTP {status}"]
    text = page.inner_text("body")
    for match in ISO_TIMESTAMP.findall(text):
        problems.append(f"{url}: ISO time {match!r} in visible text")
    for match in UNGROUPED_AMOUNT.findall(text):
        problems.append(f"{url}: amount without separators {match!r}")
    if (page.get_attribute("html", "lang") or "").startswith("zh"):
        allowed = LATIN_ALLOWED | LATIN_ALLOWED_ON.get(urlsplit(url).path, set())
        words = {w for w in LATIN_WORD.findall(CODES.sub(" ", page.evaluate(VISIBLE_ZH_TEXT))) if w not in allowed}
        if words:
            problems.append(f"{url}: Latin UI text {sorted(words)[:12]}")
    page.evaluate(axe_source)
    for violation in page.evaluate(AXE_RUN):
        problems.append(f"{url}: axe {violation}")
    return problems


def _crawl(page, start: str, origin: str, axe_source: str, first: list[str]) -> list[str]:
    problems: list[str] = []
    seen = {start, *first}
    queue = deque([start, *first])
    visited = 0
    while queue and visited < PAGES_PER_PERSONA:
        url = queue.popleft()
        response = page.goto(url)
        visited += 1
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        parts = urlsplit(url)
        where = parts.path + (f"?{parts.query}" if parts.query else "")
        problems += _problems_of(page, where, response.status, axe_source)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            link, _fragment = urldefrag(href)
            parts = urlsplit(link)
            if f"{parts.scheme}://{parts.netloc}" != origin or SKIP_PATH.search(parts.path) or link in seen:
                continue
            seen.add(link)
            queue.append(link)
    return problems


def test_every_persona_crawl_is_clean_and_screenshots_are_written(demo, live_server, browser):
    axe_source = AXE.read_text(encoding="utf-8")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    notice = Tender.objects.filter(status=TenderStatus.PUBLISHED).order_by("pk").first()
    assert notice is not None, "the demo has an open tender"
    problems: list[str] = []
    for persona, username in PERSONAS.items():
        for width in WIDTHS:
            context = browser.new_context(
                locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": width, "height": 900}
            )
            _sign_in(context, live_server, username)
            page = context.new_page()
            home = f"{live_server.url}/workspace/" if username else f"{live_server.url}/"
            response = page.goto(home)
            assert response is not None
            assert response.status == 200, (persona, response.status)
            page.screenshot(path=str(SCREENSHOTS / f"home-{persona}-{width}.png"), full_page=True)
            if persona == "public":
                page.goto(f"{live_server.url}/tenders/{notice.pk}/")
                page.screenshot(path=str(SCREENSHOTS / f"tender-notice-{width}.png"), full_page=True)
            if width == WIDTHS[0]:
                first = [live_server.url + path for path in FIRST_PAGES.get(persona, [])]
                found = _crawl(page, home, live_server.url, axe_source, first)
                problems += [f"[{persona}] {problem}" for problem in found]
            context.close()
    assert problems == [], "\n".join(problems)
    for width in WIDTHS:
        assert (SCREENSHOTS / f"tender-notice-{width}.png").stat().st_size > 10_000
