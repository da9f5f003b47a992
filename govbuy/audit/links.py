"""From an audit event to the page of its record, for every kind of record an event can be about
(issue 16). The record's own page when it has one, else the page that shows it (a bid on its
tender, a budget line on its budget, a membership on its organisation). The page checks access
itself: a reader outside its scope gets the page's 404, never more than the event told.

Models are named by label (no import of the apps above audit); a kind whose link needs a field of
the record (its tender, its budget) costs one query per kind on a page, whatever the rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse

# The record's primary key is the URL's argument.
OWN_PAGE = {
    "procurement.tender": "procurement:tender",
    "procurement.procurementmethod": "procurement:method_edit",
    "planning.project": "planning:project",
    "planning.budget": "planning:budget",
    "planning.annualplan": "plans:plan",
    "organizations.organisation": "organizations:detail",
    "providers.projectcondition": "providers:condition",
    "contracts.contract": "contracts:detail",
    "performance.evaluationround": "performance:round",
    "performance.indicatortemplate": "performance:template",
    # A consultation's public page (its staff page is the drafting body's alone).
    "performance.publicconsultation": "performance-public:consultation",
    "oversight.monitoringcase": "oversight:case",
    "portal.feedback": "portal:feedback",
}
# The URL's arguments are fields of the record (read in one query per kind).
VIA_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "procurement.bid": ("procurement:tender", ("tender_id",)),
    "procurement.biddocument": ("procurement:tender", ("bid__tender_id",)),
    "procurement.tenderdocument": ("procurement:tender", ("tender_id",)),
    "procurement.lot": ("procurement:tender", ("tender_id",)),
    "procurement.opening": ("procurement:tender", ("tender_id",)),
    "procurement.clarification": ("procurement:tender", ("tender_id",)),
    "procurement.invitationdraw": ("procurement:tender", ("tender_id",)),
    "procurement.panel": ("procurement:evaluation", ("tender_id",)),
    "procurement.evaluation": ("procurement:evaluation", ("tender_id",)),
    "procurement.creditcheck": ("procurement:evaluation", ("bid__tender_id",)),
    "procurement.award": ("procurement:awards", ("tender_id",)),
    "procurement.challenge": ("procurement:challenges", ("tender_id",)),
    "procurement.complaint": ("procurement:challenges", ("challenge__tender_id",)),
    "planning.budgetline": ("planning:budget", ("budget_id",)),
    "planning.transfer": ("planning:project", ("project_id",)),
    "planning.review": ("planning:project", ("project_id",)),
    "catalog.catalogversion": ("catalog:version", ("region__code", "number")),
    # The filing's page is the finance bureaus'; the filed catalog is public.
    "catalog.filing": ("catalog:version", ("catalog__region__code", "catalog__number")),
    "catalog.catalogitem": ("catalog:item", ("version__region__code", "version__number", "code")),
    "catalog.draftcomment": ("catalog:version", ("catalog__region__code", "catalog__number")),
    "catalog.importjob": ("catalog:import_job", ("pk",)),
    "organizations.membership": ("organizations:detail", ("organisation_id",)),
    # A provider's dossier is seen by few; its organisation's page by every reader of the trail.
    "providers.providerprofile": ("organizations:detail", ("organisation_id",)),
    "providers.dossiersection": ("organizations:detail", ("profile__organisation_id",)),
    "providers.restriction": ("organizations:detail", ("profile__organisation_id",)),
    "providers.servicearea": ("organizations:detail", ("profile__organisation_id",)),
    "providers.identitychange": ("organizations:detail", ("profile__organisation_id",)),
    "providers.relatedparty": ("organizations:detail", ("first_id",)),
    "contracts.payeeaccount": ("organizations:detail", ("organisation_id",)),
    "contracts.amendment": ("contracts:detail", ("contract_id",)),
    "contracts.milestone": ("contracts:detail", ("contract_id",)),
    "contracts.deliverable": ("contracts:detail", ("contract_id",)),
    "contracts.payment": ("contracts:detail", ("contract_id",)),
    "contracts.monitoringvisit": ("contracts:detail", ("contract_id",)),
    "contracts.rostermember": ("contracts:detail", ("contract_id",)),
    "contracts.subcontractingflag": ("contracts:detail", ("contract_id",)),
    "credit.creditfact": ("credit:provider", ("provider_id",)),
    "credit.objection": ("credit:provider", ("fact__provider_id",)),
    "credit.ban": ("credit:provider", ("provider_id",)),
    "credit.threelistcheck": ("credit:provider", ("provider_id",)),
    "performance.survey": ("contracts:detail", ("contract_id",)),
    "performance.thirdpartycommission": ("performance:round", ("round_id",)),
    "performance.providerresponse": ("performance:round", ("round_id",)),
    "performance.consultationcomment": ("performance-public:consultation", ("consultation_id",)),
    "oversight.casequestion": ("oversight:case", ("case_id",)),
    "oversight.flag": ("procurement:tender", ("tender_id",)),
    "core.calendaryear": ("core:calendar-year", ("year",)),
}
# Kinds shown on a list page rather than a page of their own.
LIST_PAGE = {
    "audit.auditcheckpoint": "audit:checkpoint_list",
    "organizations.region": "organizations:list",
    "catalog.negativelistmatter": "catalog:index",
    "contracts.contracttemplate": "contracts:list",
    # A refresh of the statistics: the statistics page says as of when its figures are.
    "oversight.statisticsrefresh": "oversight:statistics",
}
# Kinds with no page a reader of the trail could open: the event's own page is the record.
# (The expert pool is the finance bureau's, the list imports and reports the credit authority's.)
NO_PAGE = frozenset(
    {
        "accounts.user",
        "accounts.apitoken",
        "audit.verifyrun",
        "procurement.expert",
        "credit.externallist",
        "credit.authorityreport",
    }
)


def _reverse(name: str, args: Iterable[Any] = ()) -> str:
    try:
        return reverse(name, args=list(args))
    except NoReverseMatch:
        return ""


def object_links(events: Iterable[Any]) -> dict[tuple[str, str], str]:
    """`{(object_type, object_id): url}` for the events of a page."""
    ids: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.object_type and str(event.object_id).isdigit():
            ids[event.object_type].add(str(event.object_id))
    links: dict[tuple[str, str], str] = {}
    for kind, pks in ids.items():
        if kind in OWN_PAGE:
            links.update({(kind, pk): _reverse(OWN_PAGE[kind], [int(pk)]) for pk in pks})
        elif kind in LIST_PAGE:
            url = _reverse(LIST_PAGE[kind])
            links.update({(kind, pk): url for pk in pks})
        elif kind in VIA_FIELDS:
            name, fields = VIA_FIELDS[kind]
            try:
                model = apps.get_model(kind)
            except LookupError:
                continue
            rows = model._default_manager.filter(pk__in=[int(pk) for pk in pks]).values_list("pk", *fields)
            for pk, *args in rows:
                if all(arg is not None for arg in args):
                    links[(kind, str(pk))] = _reverse(name, args)
    return links


def object_link(event: Any) -> str:
    return object_links([event]).get((event.object_type, str(event.object_id)), "")
