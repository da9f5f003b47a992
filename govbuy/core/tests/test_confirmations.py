"""Consequential steps ask first (issue 16): every form that sends an irreversible or binding
transition has a `data-confirm` question on its button (or on the form), which site.js puts to
the person before anything is sent. The list below names those transitions by their URL; a
button added to one of these forms without a question fails here."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

# The URL of each consequential transition, as the templates write it in {% url … %}.
CONSEQUENTIAL = (
    "'procurement:tender_publish'",
    "'procurement:tender_cancel'",
    "'procurement:opening_initiate'",
    "'procurement:opening_confirm'",
    "'procurement:method_change'",
    "'procurement:bid_withdraw'",
    "'procurement:panel_draw'",
    "'procurement:panel_declare'",
    "'procurement:bid_disqualify'",
    "'procurement:evaluation_complete'",
    "'procurement:credit_check'",
    "'procurement:award_propose'",
    "'procurement:award_confirm'",
    "'procurement:challenge_answer'",
    "'procurement:complaint_decide'",
    "'procurement:expert_toggle'",
    "'procurement:clarification_answer'",
    "'procurement:clarification_notice'",
    "'contracts:provider_sign'",
    "'contracts:purchaser_sign'",
    "'contracts:cancel'",
    "'contracts:file'",
    "'contracts:complete'",
    "'contracts:terminate'",
    "'contracts:suspend'",
    "'contracts:deliverable_accept'",
    "'contracts:deliverable_return'",
    "'contracts:amendment_confirm'",
    "'contracts:finding'",
    "'catalog:item_remove'",
    "'catalog:filing_acknowledge'",
    "'catalog:filing_return'",
    "'catalog:publish'",
    "'catalog:discard'",
    "'catalog:file'",
    "'planning:project_action' project.pk 'submit'",
    "'planning:project_action' project.pk 'withdraw'",
    "'planning:project_action' project.pk 'cancel'",
    "'planning:project_action' project.pk 'staffing-confirm'",
    "'providers:staff_remove'",
    "'organizations:member_remove'",
    "'performance:round-action' round.pk 'submit-self'",
    "'performance:round-action' round.pk 'submit'",
    "'performance:round-action' round.pk 'finalise'",
    "'performance:round-action' round.pk 'return'",
    "'performance:round-action' round.pk 'select'",
    "'performance:round-action' round.pk 'reevaluate'",
    "'performance:round-action' round.pk 'respond'",
    "'performance:round-action' round.pk 'publish'",
    "'performance:round-commission'",
    "'performance:commission-report'",
    "'performance:consultation-summary'",
    "'credit:confirm_fact'",
    "'credit:decide_objection'",
    "'credit:decide_ban'",
    "'credit:check_action' tender.pk 'accept'",
    "'credit:check_action' tender.pk 'override'",
    "'credit:check_action' tender.pk 'confirm'",
    "'oversight:case_conclude'",
    "'oversight:case_close'",
    "'oversight:flag_dismiss'",
)
FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S)
BUTTON = re.compile(r"<button\b[^>]*>", re.S)


def _templates() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return sorted([*base.glob("govbuy/*/templates/**/*.html"), *base.glob("templates/**/*.html")])


def _unconfirmed() -> list[str]:
    found = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for form in FORM.finditer(text):
            opening = form.group(0)[: form.group(0).index(">") + 1]
            if "data-confirm" in opening:
                continue
            for button in BUTTON.findall(form.group(0)):
                if 'type="button"' in button or "data-confirm" in button:
                    continue
                if 'class="danger"' in button or any(url in form.group(0) for url in CONSEQUENTIAL):
                    found.append(f"{path.relative_to(settings.BASE_DIR)}: {button}")
    return found


def test_every_consequential_button_asks_for_confirmation():
    assert _unconfirmed() == []


def test_the_scan_sees_the_forms_it_checks():
    """The scan must find the forms it names, or it would pass on nothing."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in _templates())
    unseen = [url for url in CONSEQUENTIAL if f"{{% url {url}" not in text]
    assert unseen == []
