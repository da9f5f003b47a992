from django.urls import path

from govbuy.api.contracts import views as v

urlpatterns = [
    path("contracts/", v.ContractListView.as_view(), name="contracts"),
    path("contracts/template/", v.TemplateView.as_view(), name="contract-template"),
    path("contracts/<int:pk>/", v.ContractDetailView.as_view(), name="contract"),
    path("contracts/<int:pk>/milestones/", v.MilestonesView.as_view(), name="contract-milestones"),
    path("contracts/<int:pk>/payee/", v.PayeeView.as_view(), name="contract-payee"),
    path("contracts/<int:pk>/sign/provider/", v.ProviderSignView.as_view(), name="contract-provider-sign"),
    path("contracts/<int:pk>/sign/purchaser/", v.PurchaserSignView.as_view(), name="contract-purchaser-sign"),
    path("contracts/<int:pk>/publish/", v.PublishView.as_view(), name="contract-publish"),
    path("contracts/<int:pk>/file/", v.FileView.as_view(), name="contract-file"),
    path("contracts/<int:pk>/cancel/", v.CancelView.as_view(), name="contract-cancel"),
    path("contracts/<int:pk>/deliverables/", v.DeliverableView.as_view(), name="contract-deliverables"),
    path("contracts/<int:pk>/deliverables/<int:item>/accept/", v.AcceptView.as_view(), name="contract-accept"),
    path("contracts/<int:pk>/deliverables/<int:item>/return/", v.ReturnView.as_view(), name="contract-return"),
    path("contracts/<int:pk>/visits/", v.VisitView.as_view(), name="contract-visits"),
    path("contracts/<int:pk>/payments/", v.PaymentView.as_view(), name="contract-payments"),
    path("contracts/<int:pk>/amendments/", v.AmendmentView.as_view(), name="contract-amendments"),
    path(
        "contracts/<int:pk>/amendments/<int:item>/confirm/",
        v.AmendmentConfirmView.as_view(),
        name="contract-amendment-confirm",
    ),
    path("contracts/<int:pk>/suspend/", v.SuspendView.as_view(), name="contract-suspend"),
    path("contracts/<int:pk>/resume/", v.ResumeView.as_view(), name="contract-resume"),
    path("contracts/<int:pk>/terminate/", v.TerminateView.as_view(), name="contract-terminate"),
    path("contracts/<int:pk>/complete/", v.CompleteView.as_view(), name="contract-complete"),
    path("contracts/<int:pk>/roster/", v.RosterView.as_view(), name="contract-roster"),
    path("contracts/<int:pk>/finding/", v.FindingView.as_view(), name="contract-finding"),
]
