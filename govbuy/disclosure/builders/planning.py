"""Release builders for planning's stages (decision 0004): a project entering a published annual
plan (`planning`) and its later changes or cancellation (`planningUpdate`), built from
govbuy.planning.ocds. The plan and the first published tender share one ocid (the project's
reference), so its record shows the process from plan to award; a later attempt after a failed
one is its own process, linked back (builders/procurement.py)."""

from __future__ import annotations

from typing import Any

from govbuy.core.publication import Announcement
from govbuy.disclosure import ocds
from govbuy.disclosure.registry import register_release_builder

PROJECT_TYPE = "planning.project"
PROJECT_STAGES = ("planning", "planningUpdate")


def build_project(announcement: Announcement) -> dict[str, Any] | None:
    from govbuy.planning.models import Project
    from govbuy.planning.ocds import local_id, planning_release_parts

    project = Project.objects.filter(pk=announcement.obj_id).first()
    if project is None:
        return None
    release: dict[str, Any] = {
        "ocid": ocds.ocid_for(local_id(project)),
        "date": ocds.format_date(announcement.occurred_at),
        "tag": [announcement.stage],
        "initiationType": "tender",
        "language": "zh",
    }
    release.update(planning_release_parts(project))
    return release


# Registered on import, from DisclosureConfig.ready().
for _stage in PROJECT_STAGES:
    register_release_builder(PROJECT_TYPE, _stage, build_project)
