from django.urls import path

from govbuy.contracts.views import actions, staff

app_name = "contracts"

urlpatterns = [
    path("", staff.contract_list, name="list"),
    path("draw/", actions.draw, name="draw"),
    path("template/", staff.template_edit, name="template"),
    path("<int:pk>/", staff.contract_detail, name="detail"),
    path("<int:pk>/pdf/", staff.contract_pdf, name="pdf"),
    path("documents/<int:pk>/", staff.deliverable_document, name="document"),
    path("<int:pk>/milestones/", actions.milestones, name="milestones"),
    path("<int:pk>/payee/", actions.payee, name="payee"),
    path("<int:pk>/sign/provider/", actions.provider_sign, name="provider_sign"),
    path("<int:pk>/sign/purchaser/", actions.purchaser_sign, name="purchaser_sign"),
    path("<int:pk>/publish/", actions.publish, name="publish"),
    path("<int:pk>/file/", actions.file, name="file"),
    path("<int:pk>/cancel/", actions.cancel, name="cancel"),
    path("<int:pk>/deliverables/", actions.submit_deliverable, name="deliverable_submit"),
    path("<int:pk>/deliverables/<int:deliverable_pk>/accept/", actions.accept, name="deliverable_accept"),
    path("<int:pk>/deliverables/<int:deliverable_pk>/return/", actions.return_deliverable, name="deliverable_return"),
    path("<int:pk>/visits/", actions.visit, name="visit"),
    path("<int:pk>/payments/", actions.pay, name="pay"),
    path("<int:pk>/amendments/", actions.amend, name="amend"),
    path("<int:pk>/amendments/<int:amendment_pk>/confirm/", actions.confirm_amendment, name="amendment_confirm"),
    path("<int:pk>/suspend/", actions.suspend, name="suspend"),
    path("<int:pk>/resume/", actions.resume, name="resume"),
    path("<int:pk>/terminate/", actions.terminate, name="terminate"),
    path("<int:pk>/complete/", actions.complete, name="complete"),
    path("<int:pk>/roster/", actions.roster, name="roster"),
    path("<int:pk>/finding/", actions.finding, name="finding"),
]
