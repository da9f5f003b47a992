"""Views of the contract API. Reads go through govbuy.contracts.selectors (outside the scope:
404); each write calls one service and answers the contract as it now stands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.contracts import serializers as s
from govbuy.api.errors import error_responses
from govbuy.api.procurement import _paginate, _valid
from govbuy.contracts import selectors
from govbuy.contracts.models import Contract, ContractStatus
from govbuy.contracts.services import changes, delivery, drafting, payments, signing, subcontracting
from govbuy.core.errors import NotFound
from govbuy.core.uploads import read_upload


def _contract(request: Request, pk: int) -> Contract:
    return selectors.contract_for(request.user, pk)


def detail_response(request: Request, pk: int, code: int = status.HTTP_200_OK) -> Response:
    contract = _contract(request, pk)
    extra = {
        **selectors.details(contract),
        "clocks": selectors.clocks_of(contract),
        "flags": selectors.flags_of(request.user, contract),
    }
    data: Any = s.ContractDetailSerializer(contract, context={"extra": extra}).data
    return Response(data, status=code)


class ContractListView(APIView):
    @extend_schema(
        summary="Contracts you may see (purchaser, provider, oversight of the region)",
        parameters=[OpenApiParameter("status", str, enum=list(ContractStatus.values))],
        responses={200: s.ContractSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        qs = selectors.visible_contracts(request.user, {"status": request.query_params.get("status")})
        return _paginate(self, request, qs, s.ContractSerializer)

    @extend_schema(
        summary="Draw up the contract of a confirmed award",
        request=s.DrawInput,
        responses={201: s.ContractDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request) -> Response:
        data = _valid(s.DrawInput, request)
        contract = drafting.draw_from_award(
            actor=request.user,
            award=data["award"],
            bond_amount=data["bond_amount"],
            bond_form=data["bond_form"],
            no_financing_guarantee=data["no_financing_guarantee"],
        )
        return detail_response(request, contract.pk, status.HTTP_201_CREATED)


class ContractDetailView(APIView):
    @extend_schema(
        summary="One contract with its parts and clocks",
        responses={200: s.ContractDetailSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return detail_response(request, pk)


def action_view(
    summary: str,
    serializer: type | None,
    call: Callable[[Request, Contract, dict[str, Any]], Any],
    *,
    multipart: bool = False,
) -> type[APIView]:
    """A POST endpoint that validates `serializer`, calls one service through `call` and answers
    the contract's detail."""

    class ActionView(APIView):
        parser_classes = [MultiPartParser, FormParser] if multipart else [JSONParser]

        @extend_schema(
            summary=summary,
            request=serializer,
            responses={200: s.ContractDetailSerializer, **error_responses(400, 403, 404, 409)},
        )
        def post(self, request: Request, pk: int, item: int | None = None) -> Response:
            data = _valid(serializer, request) if serializer is not None else {}
            if item is not None:
                data = {**data, "item": item}
            contract = _contract(request, pk)
            call(request, contract, data)
            return detail_response(request, pk)

    ActionView.__name__ = ActionView.__qualname__ = "".join(w.capitalize() for w in summary.split()[:4]) + "View"
    return ActionView


def _payee(request: Request, contract: Contract, d: dict[str, Any]) -> Any:
    account = d.get("account")
    if account is None:
        account = drafting.add_payee_account(
            actor=request.user,
            organisation=contract.provider_id,
            bank_name=d["bank_name"],
            account_name=d["account_name"],
            account_number=d["account_number"],
        )
    return drafting.choose_payee(actor=request.user, contract=contract, version=d["version"], account=account)


def _deliverable(request: Request, contract: Contract, d: dict[str, Any]) -> Any:
    files = [(d["title"], f.name, read_upload(f)) for f in d["files"]]
    return delivery.submit_deliverable(
        actor=request.user,
        contract=contract,
        milestone=d["milestone"],
        summary=d["summary"],
        quantity_achieved=d["quantity_achieved"],
        files=files,
    )


def _owned_deliverable(request: Request, contract: Contract, pk: int) -> Any:
    deliverable = selectors.deliverable_for(request.user, pk)
    if deliverable.contract_id != contract.pk:
        raise NotFound()
    return deliverable


def _confirm(request: Request, contract: Contract, d: dict[str, Any]) -> Any:
    amendment = contract.amendments.filter(pk=d["item"]).first()
    if amendment is None:
        raise NotFound()
    return changes.confirm_amendment(actor=request.user, amendment=amendment)


MilestonesView = action_view(
    "Set the milestone schedule of a draft",
    s.MilestonesInput,
    lambda r, c, d: drafting.set_milestones(
        actor=r.user, contract=c, version=d["version"], milestones=[dict(m) for m in d["milestones"]]
    ),
)
PayeeView = action_view("Name the provider's payee account", s.PayeeInput, _payee)
ProviderSignView = action_view(
    "Sign for the provider",
    s.VersionInput,
    lambda r, c, d: signing.provider_sign(actor=r.user, contract=c, version=d["version"]),
)
PurchaserSignView = action_view(
    "Sign for the purchaser (two users above the threshold)",
    s.VersionInput,
    lambda r, c, d: signing.purchaser_sign(actor=r.user, contract=c, version=d["version"]),
)
PublishView = action_view(
    "Publish the contract notice with withheld secrets",
    s.PublishInput,
    lambda r, c, d: signing.publish(
        actor=r.user, contract=c, version=d["version"], withheld=[dict(w) for w in d["withheld"]]
    ),
)
FileView = action_view(
    "File the contract with the finance bureau",
    s.VersionInput,
    lambda r, c, d: signing.file_with_finance(actor=r.user, contract=c, version=d["version"]),
)
CancelView = action_view(
    "Cancel an unsigned contract",
    s.ReasonInput,
    lambda r, c, d: signing.cancel(actor=r.user, contract=c, version=d["version"], reason=d["reason"]),
)
DeliverableView = action_view("Submit a deliverable with evidence", s.DeliverableInput, _deliverable, multipart=True)
AcceptView = action_view(
    "Accept a deliverable (four eyes)",
    s.VersionInput,
    lambda r, c, d: delivery.accept_deliverable(
        actor=r.user, deliverable=_owned_deliverable(r, c, d["item"]), version=d["version"]
    ),
)
ReturnView = action_view(
    "Return a deliverable with reasons",
    s.ReturnInput,
    lambda r, c, d: delivery.return_deliverable(
        actor=r.user, deliverable=_owned_deliverable(r, c, d["item"]), version=d["version"], reasons=d["reasons"]
    ),
)
VisitView = action_view(
    "Record a monitoring visit",
    s.VisitInput,
    lambda r, c, d: delivery.record_visit(
        actor=r.user, contract=c, visited_on=d["visited_on"], rating=d["rating"], findings=d["findings"]
    ),
)
PaymentView = action_view(
    "Record a payment against an accepted milestone",
    s.PaymentInput,
    lambda r, c, d: payments.record_payment(
        actor=r.user,
        contract=c,
        milestone=d["milestone"],
        amount=d["amount"],
        payee=d["payee"],
        reference=d["reference"],
    ),
)
AmendmentView = action_view(
    "Propose an amendment",
    s.AmendmentInput,
    lambda r, c, d: changes.propose_amendment(
        actor=r.user,
        contract=c,
        version=d["version"],
        rationale=d["rationale"],
        description=d["description"],
        value_change=d["value_change"],
        new_period_end=d["new_period_end"],
    ),
)
AmendmentConfirmView = action_view("Confirm an amendment (second user)", None, _confirm)
SuspendView = action_view(
    "Suspend while a complaint is decided",
    s.ReasonInput,
    lambda r, c, d: changes.suspend(actor=r.user, contract=c, version=d["version"], reason=d["reason"]),
)
ResumeView = action_view(
    "Resume a suspended contract",
    s.VersionInput,
    lambda r, c, d: changes.resume(actor=r.user, contract=c, version=d["version"]),
)
TerminateView = action_view(
    "Terminate a contract in force",
    s.TerminateInput,
    lambda r, c, d: changes.terminate(
        actor=r.user, contract=c, version=d["version"], cause=d["cause"], reason=d["reason"]
    ),
)
CompleteView = action_view(
    "Record the completion",
    s.VersionInput,
    lambda r, c, d: changes.complete(actor=r.user, contract=c, version=d["version"]),
)
RosterView = action_view(
    "Add a member to the delivery roster",
    s.RosterInput,
    lambda r, c, d: subcontracting.add_roster_member(actor=r.user, contract=c, **d),
)
FindingView = action_view(
    "Record subcontracting and terminate for cause",
    s.FindingInput,
    lambda r, c, d: subcontracting.record_finding(actor=r.user, contract=c, version=d["version"], finding=d["finding"]),
)


class TemplateView(APIView):
    @extend_schema(
        summary="The contract template (city finance bureau)",
        responses={200: s.TemplateSerializer, **error_responses(404)},
    )
    def get(self, request: Request) -> Response:
        current = selectors.template_for(request.user)
        return Response(s.TemplateSerializer({"body": current.body, "version": current.version}).data)

    @extend_schema(
        summary="Save a new version of the contract template (city finance bureau)",
        request=s.TemplateInput,
        responses={200: s.TemplateSerializer, **error_responses(400, 403, 404, 409)},
    )
    def put(self, request: Request) -> Response:
        selectors.template_for(request.user)
        data = _valid(s.TemplateInput, request)
        row = drafting.edit_template(actor=request.user, body=data["body"], note=data["note"], version=data["version"])
        return Response(s.TemplateSerializer({"body": row.body, "version": row.version}).data)
