"""API for budgets, purchase projects, reviews, the annual plans and the public-tender threshold.
Same selectors and services as the pages; outside the scope is a 404; status, estimate, version
and review fields are output only. Published plans are public (no sign-in)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.base import TransitionView, answer, paginate, parse
from govbuy.api.errors import error_responses
from govbuy.api.planning.serializers import (
    PlanningApproveSerializer,
    PlanningBudgetCreateSerializer,
    PlanningBudgetDetailSerializer,
    PlanningBudgetSerializer,
    PlanningCommentSerializer,
    PlanningImportOutcomeSerializer,
    PlanningImportSerializer,
    PlanningLineCreateSerializer,
    PlanningLineSerializer,
    PlanningLineUpdateSerializer,
    PlanningPlanDetailSerializer,
    PlanningPlanSerializer,
    PlanningProjectCreateSerializer,
    PlanningProjectDetailSerializer,
    PlanningProjectSerializer,
    PlanningProjectUpdateSerializer,
    PlanningPublishSerializer,
    PlanningReasonSerializer,
    PlanningThresholdInputSerializer,
    PlanningThresholdSerializer,
    PlanningTodoSerializer,
    PlanningVersionSerializer,
)
from govbuy.core.errors import ValidationFailed
from govbuy.organizations.models import Organisation, Region
from govbuy.organizations.scope import scope_for
from govbuy.planning import rules, selectors
from govbuy.planning.models import (
    BudgetLine,
    Project,
    ProjectStatus,
)
from govbuy.planning.services import annual_plans, budget_lines, proposals, reviews

# --- Helpers -----------------------------------------------------------------------------------------


def _purchaser(request: Request, pk: int) -> Organisation:
    found = next((p for p in selectors.writable_purchasers(request.user) if p.pk == pk), None)
    if found is None:
        message = _("You do not act for this purchaser.")
        raise ValidationFailed(message, fields={"purchaser": [message]})
    return found


def _line(request: Request, pk: int, field: str) -> BudgetLine:
    try:
        return selectors.line_for(request.user, pk)
    except Http404:
        message = _("No budget line of yours has this id.")
        raise ValidationFailed(message, fields={field: [message]}) from None


def _item(pk: int | None) -> Any:
    if pk is None:
        return None
    try:
        return selectors.catalog_item(pk)
    except Http404:
        message = _("No catalog item has this id.")
        raise ValidationFailed(message, fields={"catalog_item": [message]}) from None


def _rows(rows: list[Any]) -> list[dict[str, Any]]:
    return [dict(r) for r in rows]


def _project_answer(project: Project, code: int = status.HTTP_200_OK) -> Response:
    return answer(PlanningProjectDetailSerializer, Project.objects.select_related("purchaser"), project, code)


# --- Budgets -------------------------------------------------------------------------------------------


class BudgetListView(APIView):
    @extend_schema(
        summary="Department budgets you may see",
        parameters=[OpenApiParameter("year", int)],
        responses={200: PlanningBudgetSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        return paginate(
            self,
            request,
            selectors.visible_budgets(request.user, year=request.query_params.get("year")),
            PlanningBudgetSerializer,
        )

    @extend_schema(
        summary="Create a purchaser's budget for a fiscal year",
        request=PlanningBudgetCreateSerializer,
        responses={201: PlanningBudgetDetailSerializer, **error_responses(400, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        data = parse(PlanningBudgetCreateSerializer, request)
        budget = budget_lines.create_budget(
            actor=request.user,
            purchaser=_purchaser(request, data["purchaser"]),
            fiscal_year=data["fiscal_year"],
            note=data["note"],
        )
        return Response(PlanningBudgetDetailSerializer(budget).data, status=status.HTTP_201_CREATED)


class BudgetDetailView(APIView):
    @extend_schema(
        summary="One budget with its lines and transfers",
        responses={200: PlanningBudgetDetailSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(PlanningBudgetDetailSerializer(selectors.budget_for(request.user, pk)).data)


class BudgetLinesView(APIView):
    @extend_schema(
        summary="Add an expenditure line",
        request=PlanningLineCreateSerializer,
        responses={201: PlanningLineSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        budget = selectors.budget_for(request.user, pk)
        data = parse(PlanningLineCreateSerializer, request)
        line = budget_lines.add_line(actor=request.user, budget=budget, **data)
        return Response(PlanningLineSerializer(line).data, status=status.HTTP_201_CREATED)


class BudgetImportView(APIView):
    # JSON too, so a JSON request is refused for what it lacks (CSRF, the file) rather than its type.
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        summary="Import lines from .xlsx (every faulty row listed; nothing written on error)",
        request={"multipart/form-data": PlanningImportSerializer},
        responses={200: PlanningImportOutcomeSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        budget = selectors.budget_for(request.user, pk)
        data = parse(PlanningImportSerializer, request)
        upload = data["file"]
        outcome = budget_lines.import_lines(
            actor=request.user, budget=budget, file_name=upload.name or "budget.xlsx", data=upload.read()
        )
        return Response({"created": outcome.created, "updated": outcome.updated})


class LineDetailView(APIView):
    @extend_schema(summary="One budget line", responses={200: PlanningLineSerializer, **error_responses(404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(PlanningLineSerializer(selectors.line_for(request.user, pk)).data)

    @extend_schema(
        summary="Change a line's name or amount budgeted",
        request=PlanningLineUpdateSerializer,
        responses={200: PlanningLineSerializer, **error_responses(400, 403, 404, 409)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        line = selectors.line_for(request.user, pk)
        data = parse(PlanningLineUpdateSerializer, request)
        updated = budget_lines.update_line(actor=request.user, line=line, **data)
        return Response(PlanningLineSerializer(updated).data)


# --- Projects ---------------------------------------------------------------------------------------------


class ProjectListView(APIView):
    @extend_schema(
        summary="Purchase projects you may see (drafts only your own)",
        parameters=[
            OpenApiParameter("status", str, enum=list(ProjectStatus.values)),
            OpenApiParameter("year", int),
            OpenApiParameter("q", str),
        ],
        responses={200: PlanningProjectSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        qs = selectors.visible_projects(
            request.user,
            status=str(request.query_params.get("status") or ""),
            year=request.query_params.get("year"),
            q=str(request.query_params.get("q") or "").strip(),
        )
        return paginate(self, request, qs, PlanningProjectSerializer)

    @extend_schema(
        summary="Propose a project (a draft): costed from the work, drawn on a budget line",
        request=PlanningProjectCreateSerializer,
        responses={201: PlanningProjectDetailSerializer, **error_responses(400, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        data = parse(PlanningProjectCreateSerializer, request)
        conversion = None
        if data.get("conversion"):
            c = data["conversion"]
            conversion = proposals.ConversionInput(
                source_line=_line(request, c["source_line"], "conversion.source_line"),
                amount=c["amount"],
                former_service=c["former_service"],
            )
        project = proposals.propose_project(
            actor=request.user,
            purchaser=_purchaser(request, data["purchaser"]),
            budget_line=_line(request, data["budget_line"], "budget_line"),
            title=data["title"],
            catalog_item=_item(data["catalog_item"]),
            outside_catalog_name=data["outside_catalog_name"],
            service_description=data["service_description"],
            beneficiaries=data["beneficiaries"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            recurring=data["recurring"],
            stable_content=data["stable_content"],
            budget_secured=data["budget_secured"],
            in_procurement_scope=data["in_procurement_scope"],
            suggested_method=data["suggested_method"],
            cost_lines=_rows(data["cost_lines"]),
            targets=_rows(data["targets"]),
            conversion=conversion,
        )
        return _project_answer(project, status.HTTP_201_CREATED)


class ProjectDetailView(APIView):
    @extend_schema(summary="One project", responses={200: PlanningProjectDetailSerializer, **error_responses(404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(PlanningProjectDetailSerializer(selectors.project_for(request.user, pk)).data)

    @extend_schema(
        summary="Change a draft or returned project",
        request=PlanningProjectUpdateSerializer,
        responses={200: PlanningProjectDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        project = selectors.project_for(request.user, pk)
        data = parse(PlanningProjectUpdateSerializer, request, partial=True)
        if "version" not in data:
            message = _("Name the version you read.")
            raise ValidationFailed(message, fields={"version": [message]})
        version = data.pop("version")
        kwargs: dict[str, Any] = {}
        if "budget_line" in data:
            kwargs["budget_line"] = _line(request, data.pop("budget_line"), "budget_line")
        if "catalog_item" in data:
            kwargs["catalog_item"] = _item(data.pop("catalog_item"))
        if "cost_lines" in data:
            kwargs["cost_lines"] = _rows(data.pop("cost_lines"))
        if "targets" in data:
            kwargs["targets"] = _rows(data.pop("targets"))
        updated = proposals.update_project(actor=request.user, project=project, version=version, **kwargs, **data)
        return _project_answer(updated)


# `POST planning/projects/<pk>/<action>/`: one review service, answered with the project.
class ProjectTransitionView(TransitionView):
    output_serializer = PlanningProjectDetailSerializer
    service: Callable[..., Project]

    def lookup(self, request: Request, pk: int) -> Project:
        return selectors.project_for(request.user, pk)

    def perform(self, request: Request, obj: Project, data: dict[str, Any]) -> Project:
        return type(self).service(actor=request.user, project=obj, **data)

    def refetch(self, result: Project) -> Project:
        return Project.objects.select_related("purchaser").get(pk=result.pk)


def project_action_view(
    name: str, service: Callable[..., Project], input_serializer: type[serializers.Serializer], summary: str
) -> type[TransitionView]:
    """The view of one row of PROJECT_ACTIONS (its own class, so the schema names the operation)."""
    return type(
        f"Project{name.title().replace('-', '')}View",
        (ProjectTransitionView,),
        {
            "input_serializer": input_serializer,
            "service": staticmethod(service),
            "summary": summary,
            "operation_id": f"planning_projects_{name.replace('-', '_')}",
        },
    )


PROJECT_ACTIONS = [
    ("submit", reviews.submit_project, PlanningVersionSerializer, "Submit to the finance bureau (purchaser)"),
    (
        "withdraw",
        reviews.withdraw_project,
        PlanningReasonSerializer,
        "Withdraw a draft or returned project (purchaser)",
    ),
    ("cancel", reviews.cancel_project, PlanningReasonSerializer, "Cancel an approved or planned project (purchaser)"),
    ("start-review", reviews.start_review, PlanningVersionSerializer, "Start the review (finance bureau)"),
    ("approve", reviews.approve_project, PlanningApproveSerializer, "Approve (finance bureau)"),
    ("return", reviews.return_project, PlanningCommentSerializer, "Return with comments (finance bureau)"),
    (
        "staffing-confirm",
        reviews.confirm_staffing,
        PlanningCommentSerializer,
        "Confirm no new posts or bodies (staffing office)",
    ),
    ("staffing-return", reviews.return_staffing, PlanningCommentSerializer, "Return with comments (staffing office)"),
]


class TodoView(APIView):
    @extend_schema(summary="What waits for you (the home page's to-do lists)", responses={200: PlanningTodoSerializer})
    def get(self, request: Request) -> Response:
        scope = scope_for(request.user)
        finance = selectors.finance_queue(request.user)[0] if rules.finance_region_ids(scope) else []
        staffing = selectors.staffing_queue(request.user)[0] if rules.staffing_members(scope) else []
        purchaser = selectors.purchaser_todo(request.user)[0]
        return Response(
            {
                "finance": PlanningProjectSerializer(finance, many=True).data,
                "staffing": PlanningProjectSerializer(staffing, many=True).data,
                "purchaser": PlanningProjectSerializer(purchaser, many=True).data,
            }
        )


# --- Plans and threshold ------------------------------------------------------------------------------------


class PlanListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Published annual plans (public)",
        parameters=[
            OpenApiParameter("region", str, description="Region code."),
            OpenApiParameter("year", int),
            OpenApiParameter("all_versions", bool, description="Include replaced versions."),
        ],
        responses={200: PlanningPlanSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        qs = selectors.public_plans().order_by("region__code", "-fiscal_year", "purchaser__name_zh", "-number")
        if str(request.query_params.get("all_versions") or "").lower() not in ("1", "true"):
            qs = qs.filter(is_current=True)
        region = str(request.query_params.get("region") or "")
        if region:
            qs = qs.filter(region__code=region[:12])
        try:
            year = int(request.query_params.get("year") or 0)
        except ValueError:
            year = 0
        if year:
            qs = qs.filter(fiscal_year=year)
        return paginate(self, request, qs, PlanningPlanSerializer)


class PlanDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="One plan version with its entries and changes (public)",
        responses={200: PlanningPlanDetailSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(PlanningPlanDetailSerializer(selectors.plan_public(pk)).data)


class PlanPublishView(APIView):
    @extend_schema(
        summary="Publish (a new version of) the purchaser's annual plan",
        request=PlanningPublishSerializer,
        responses={201: PlanningPlanDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request) -> Response:
        data = parse(PlanningPublishSerializer, request)
        plan = annual_plans.publish_plan(
            actor=request.user,
            purchaser=_purchaser(request, data["purchaser"]),
            fiscal_year=data["fiscal_year"],
            note=data["note"],
        )
        return Response(PlanningPlanDetailSerializer(plan).data, status=status.HTTP_201_CREATED)


class ThresholdView(APIView):
    @extend_schema(
        summary="Public-tender thresholds set per region, and the default",
        responses={200: PlanningThresholdSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        return Response(PlanningThresholdSerializer(selectors.thresholds(), many=True).data)

    @extend_schema(
        summary="Set a region's public-tender threshold for services (city finance bureau)",
        request=PlanningThresholdInputSerializer,
        responses={200: PlanningThresholdSerializer, **error_responses(400, 403, 409)},
    )
    def put(self, request: Request) -> Response:
        data = parse(PlanningThresholdInputSerializer, request)
        region = Region.objects.filter(code=data["region"]).first()
        if region is None:
            message = _("No region has this code.")
            raise ValidationFailed(message, fields={"region": [message]})
        row = budget_lines.set_threshold(
            actor=request.user, region=region, amount=data["amount"], source=data["source"], version=data["version"]
        )
        return Response(PlanningThresholdSerializer(row).data)
