"""API for budgets, purchase projects, reviews, the annual plans and the public-tender threshold.
Same selectors and services as the pages; outside the scope is a 404; status, estimate, version
and review fields are output only. Published plans are public (no sign-in)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.base import AmountField, StrictInputSerializer, TransitionView, answer, paginate, parse
from govbuy.api.errors import error_responses
from govbuy.core.errors import ValidationFailed
from govbuy.organizations.models import Organisation, Region
from govbuy.organizations.scope import scope_for
from govbuy.planning import rules, selectors
from govbuy.planning.models import (
    AnnualPlan,
    Budget,
    BudgetLine,
    CostCategory,
    CostLine,
    IndicatorFamily,
    Method,
    PerformanceTarget,
    PlanEntry,
    Project,
    ProjectStatus,
    Review,
    TenderThreshold,
    Transfer,
)
from govbuy.planning.services import annual_plans, budget_lines, proposals, reviews

# --- Serializers ---------------------------------------------------------------------------------


class PlanningLineSerializer(serializers.ModelSerializer):
    available = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = BudgetLine
        fields = ["id", "budget", "code", "name", "budgeted_amount", "amount", "committed", "available", "version"]
        read_only_fields = fields


class PlanningTransferSerializer(serializers.ModelSerializer):
    source_code = serializers.CharField(source="source_line.code", read_only=True)
    target_code = serializers.CharField(source="target_line.code", read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "project",
            "source_line",
            "source_code",
            "target_line",
            "target_code",
            "amount",
            "former_service",
            "created_at",
            "reversed_at",
        ]
        read_only_fields = fields


class PlanningBudgetSerializer(serializers.ModelSerializer):
    purchaser_name = serializers.CharField(source="purchaser.name_zh", read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = Budget
        fields = ["id", "purchaser", "purchaser_name", "region", "region_code", "fiscal_year", "note", "version"]
        read_only_fields = fields


class PlanningBudgetDetailSerializer(PlanningBudgetSerializer):
    lines = serializers.SerializerMethodField()
    transfers = serializers.SerializerMethodField()

    class Meta(PlanningBudgetSerializer.Meta):
        fields = [*PlanningBudgetSerializer.Meta.fields, "lines", "transfers"]
        read_only_fields = fields

    @extend_schema(responses=PlanningLineSerializer(many=True))
    def get_lines(self, obj: Budget) -> Any:
        return PlanningLineSerializer(selectors.lines_of(obj), many=True).data

    @extend_schema(responses=PlanningTransferSerializer(many=True))
    def get_transfers(self, obj: Budget) -> Any:
        return PlanningTransferSerializer(selectors.transfers_of(obj), many=True).data


class PlanningBudgetCreateSerializer(StrictInputSerializer):
    purchaser = serializers.IntegerField(min_value=1)
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class PlanningLineCreateSerializer(StrictInputSerializer):
    code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=200)
    amount = AmountField(help_text='Yuan as a decimal string, e.g. "120000.00".')


class PlanningLineUpdateSerializer(StrictInputSerializer):
    version = serializers.IntegerField(min_value=1, help_text="The version you read; a stale one answers 409.")
    name = serializers.CharField(max_length=200, required=False)
    amount = AmountField(required=False, help_text="The amount budgeted, in yuan.")


class PlanningImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=".xlsx with the columns code, name, amount.")


class PlanningImportOutcomeSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()


class PlanningCostLineSerializer(serializers.ModelSerializer):
    cost_category = serializers.ChoiceField(source="category", choices=CostCategory.choices, read_only=True)

    class Meta:
        model = CostLine
        fields = ["position", "description", "cost_category", "unit", "quantity", "unit_cost", "amount"]
        read_only_fields = fields


class PlanningTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = PerformanceTarget
        fields = ["position", "family", "name", "direction", "target_value", "unit"]
        read_only_fields = fields


class PlanningReviewSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name_zh", read_only=True)

    class Meta:
        model = Review
        fields = ["kind", "decision", "comment", "organisation", "organisation_name", "decided_at"]
        read_only_fields = fields


PROJECT_FIELDS = [
    "id",
    "reference",
    "purchaser",
    "purchaser_name",
    "region",
    "fiscal_year",
    "title",
    "catalog_item",
    "outside_catalog_name",
    "outside_catalog_approved",
    "purchasability",
    "service_description",
    "beneficiaries",
    "period_start",
    "period_end",
    "recurring",
    "stable_content",
    "budget_secured",
    "budget_line",
    "estimate",
    "in_procurement_scope",
    "suggested_method",
    "is_conversion",
    "status",
    "staffing_review",
    "split_flag",
    "split_details",
    "negative_flag",
    "negative_details",
    "submitted_at",
    "decided_at",
    "version",
]


class PlanningProjectSerializer(serializers.ModelSerializer):
    purchaser_name = serializers.CharField(source="purchaser.name_zh", read_only=True)

    class Meta:
        model = Project
        fields = PROJECT_FIELDS
        read_only_fields = fields


class PlanningProjectDetailSerializer(PlanningProjectSerializer):
    cost_lines = PlanningCostLineSerializer(many=True, read_only=True)
    targets = PlanningTargetSerializer(many=True, read_only=True)
    reviews = PlanningReviewSerializer(many=True, read_only=True)
    transfer = serializers.SerializerMethodField()

    class Meta(PlanningProjectSerializer.Meta):
        fields = [*PROJECT_FIELDS, "cost_lines", "targets", "reviews", "transfer"]
        read_only_fields = fields

    @extend_schema(responses=PlanningTransferSerializer(allow_null=True))
    def get_transfer(self, obj: Project) -> Any:
        transfer = selectors.transfer_of(obj)
        return PlanningTransferSerializer(transfer).data if transfer else None


class PlanningCostInputSerializer(StrictInputSerializer):
    description = serializers.CharField(max_length=200)
    cost_category = serializers.ChoiceField(source="category", choices=CostCategory.choices)
    unit = serializers.CharField(max_length=30)
    quantity = serializers.CharField(max_length=20, help_text="Decimal string, > 0.")
    unit_cost = serializers.CharField(max_length=30, help_text="Yuan as a decimal string, > 0.")


class PlanningTargetInputSerializer(StrictInputSerializer):
    family = serializers.ChoiceField(choices=IndicatorFamily.choices)
    name = serializers.CharField(max_length=200)
    direction = serializers.ChoiceField(choices=PerformanceTarget.Direction.choices, default="at_least")
    target_value = serializers.CharField(max_length=20)
    unit = serializers.CharField(max_length=30)


class PlanningConversionInputSerializer(StrictInputSerializer):
    source_line = serializers.IntegerField(min_value=1, help_text="The in-house line the funds move from.")
    amount = AmountField(help_text="Yuan moved, > 0.")
    former_service = serializers.CharField(max_length=300)


class PlanningProjectWriteSerializer(StrictInputSerializer):
    budget_line = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=200)
    catalog_item = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    outside_catalog_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    service_description = serializers.CharField(max_length=4000)
    beneficiaries = serializers.CharField(max_length=2000)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    recurring = serializers.BooleanField(required=False, default=False)
    stable_content = serializers.BooleanField(required=False, default=False)
    budget_secured = serializers.BooleanField(required=False, default=False)
    in_procurement_scope = serializers.BooleanField(required=False, default=True)
    suggested_method = serializers.ChoiceField(choices=Method.choices)
    cost_lines = PlanningCostInputSerializer(many=True, help_text="The work: quantity × unit cost per line.")
    targets = PlanningTargetInputSerializer(many=True)


class PlanningProjectCreateSerializer(PlanningProjectWriteSerializer):
    purchaser = serializers.IntegerField(min_value=1)
    conversion = PlanningConversionInputSerializer(required=False, allow_null=True, default=None)


class PlanningProjectUpdateSerializer(PlanningProjectWriteSerializer):
    """Sent with partial=True: only the fields given change; `version` is required by the view."""

    version = serializers.IntegerField(min_value=1, help_text="The version you read; a stale one answers 409.")


class PlanningVersionSerializer(StrictInputSerializer):
    version = serializers.IntegerField(min_value=1)


class PlanningCommentSerializer(PlanningVersionSerializer):
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class PlanningApproveSerializer(PlanningCommentSerializer):
    approve_outside_catalog = serializers.BooleanField(required=False, default=False)


class PlanningReasonSerializer(PlanningVersionSerializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PlanningPlanEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanEntry
        fields = [
            "position",
            "project",
            "reference",
            "title",
            "item_code",
            "item_name",
            "estimate",
            "method",
            "in_procurement_scope",
            "period_start",
            "period_end",
            "is_conversion",
            "beneficiaries",
        ]
        read_only_fields = fields


class PlanningPlanSerializer(serializers.ModelSerializer):
    purchaser_name = serializers.CharField(source="purchaser.name_zh", read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = AnnualPlan
        fields = [
            "id",
            "purchaser",
            "purchaser_name",
            "region",
            "region_code",
            "fiscal_year",
            "number",
            "is_current",
            "total",
            "note",
            "published_at",
        ]
        read_only_fields = fields


class PlanningPlanDetailSerializer(PlanningPlanSerializer):
    entries = PlanningPlanEntrySerializer(many=True, read_only=True)

    class Meta(PlanningPlanSerializer.Meta):
        fields = [*PlanningPlanSerializer.Meta.fields, "changes", "entries"]
        read_only_fields = fields


class PlanningPublishSerializer(StrictInputSerializer):
    purchaser = serializers.IntegerField(min_value=1)
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class PlanningThresholdSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = TenderThreshold
        fields = ["id", "region", "region_code", "amount", "source", "version"]
        read_only_fields = fields


class PlanningThresholdInputSerializer(StrictInputSerializer):
    region = serializers.CharField(max_length=12, help_text="Region code, e.g. 110000.")
    amount = AmountField()
    source = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)


class PlanningTodoSerializer(serializers.Serializer):
    finance = PlanningProjectSerializer(many=True)
    staffing = PlanningProjectSerializer(many=True)
    purchaser = PlanningProjectSerializer(many=True)


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


class ProjectTransitionView(TransitionView):
    """`POST planning/projects/<pk>/<action>/`: one review service, answered with the project."""

    output_serializer = PlanningProjectDetailSerializer
    service: Callable[..., Project]

    def lookup(self, request: Request, pk: int) -> Project:
        return selectors.project_for(request.user, pk)

    def perform(self, request: Request, obj: Project, data: dict[str, Any]) -> Project:
        return type(self).service(actor=request.user, project=obj, **data)

    def refetch(self, result: Project) -> Project:
        return Project.objects.select_related("purchaser").get(pk=result.pk)


def _action_view(
    name: str, service: Callable[..., Project], input_serializer: type[serializers.Serializer], summary: str
) -> type[TransitionView]:
    """The view of one row of PROJECT_ACTIONS (its own class, so the schema names the operation)."""
    view = type(
        f"Project{name.title().replace('-', '')}View",
        (ProjectTransitionView,),
        {"input_serializer": input_serializer, "service": staticmethod(service)},
    )
    schema = extend_schema(
        summary=summary,
        request=input_serializer,
        responses={200: PlanningProjectDetailSerializer, **error_responses(400, 403, 404, 409)},
        operation_id=f"planning_projects_{name.replace('-', '_')}",
    )
    return extend_schema_view(post=schema)(view)


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


urlpatterns = [
    path("planning/budgets/", BudgetListView.as_view(), name="planning-budgets"),
    path("planning/budgets/<int:pk>/", BudgetDetailView.as_view(), name="planning-budget"),
    path("planning/budgets/<int:pk>/lines/", BudgetLinesView.as_view(), name="planning-budget-lines"),
    path("planning/budgets/<int:pk>/import/", BudgetImportView.as_view(), name="planning-budget-import"),
    path("planning/lines/<int:pk>/", LineDetailView.as_view(), name="planning-line"),
    path("planning/projects/", ProjectListView.as_view(), name="planning-projects"),
    path("planning/projects/<int:pk>/", ProjectDetailView.as_view(), name="planning-project"),
    *[
        path(
            f"planning/projects/<int:pk>/{name}/",
            _action_view(name, service, ser, summary).as_view(),
            name=f"planning-project-{name}",
        )
        for name, service, ser, summary in PROJECT_ACTIONS
    ],
    path("planning/todo/", TodoView.as_view(), name="planning-todo"),
    path("planning/plans/publish/", PlanPublishView.as_view(), name="planning-plan-publish"),
    path("planning/thresholds/", ThresholdView.as_view(), name="planning-thresholds"),
    path("plans/", PlanListView.as_view(), name="plans"),
    path("plans/<int:pk>/", PlanDetailView.as_view(), name="plan"),
]
