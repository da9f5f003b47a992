"""The audit trail's home-page section for oversight readers: the latest verification result and
the latest checkpoint, so a break in the chain is seen the day it is found."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from govbuy.audit import selectors
from govbuy.audit.models import VerifyRun


def _when(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""


def _run_item(run: VerifyRun) -> dict[str, Any]:
    url = reverse("audit:verify_run_detail", kwargs={"run_id": run.pk})
    if run.is_active:
        label = _("Verification in progress: %(percent)s%%") % {"percent": run.percent}
    elif run.status == VerifyRun.Status.INTACT:
        label = _("Last verification: the chain is intact (%(checked)s events checked)") % {"checked": run.checked}
    elif run.status == VerifyRun.Status.BROKEN:
        label = _("Last verification found the chain broken at position %(position)s") % {
            "position": run.first_broken_position
        }
    else:
        label = _("Last verification did not finish")
    return {"label": label, "url": url, "note": _("at %(when)s") % {"when": _when(run.finished_at or run.created_at)}}


def audit_home_section(request: HttpRequest) -> dict[str, Any] | None:
    access = selectors.audit_access(request.user)
    if access is None:
        return None
    items = []
    run = selectors.latest_verify_run(access)
    if run is not None:
        items.append(_run_item(run))
    checkpoint = selectors.latest_checkpoint(access)
    if checkpoint is not None:
        items.append(
            {
                "label": _("Latest checkpoint: position %(position)s, hash %(hash)s…")
                % {"position": checkpoint.position, "hash": checkpoint.head_hash[:16]},
                "url": reverse("audit:checkpoint_list"),
                "note": _("signed %(when)s") % {"when": _when(checkpoint.created_at)},
            }
        )
    return {
        "id": "audit",
        "title": _("Audit trail"),
        "items": items,
        "empty": _("The audit chain has not been verified or checkpointed yet."),
        # The state of the chain is for reference; a broken chain is shown as a task.
        "reference": not (run is not None and run.status == VerifyRun.Status.BROKEN),
    }
