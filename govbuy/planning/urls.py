from django.urls import path

from govbuy.planning.views import staff

app_name = "planning"
urlpatterns = [
    path("", staff.project_list, name="projects"),
    path("projects/new/", staff.project_create, name="project_create"),
    path("projects/<int:pk>/", staff.project_detail, name="project"),
    path("projects/<int:pk>/edit/", staff.project_edit, name="project_edit"),
    path("projects/<int:pk>/<str:action>/", staff.project_action, name="project_action"),
    path("budgets/", staff.budget_list, name="budgets"),
    path("budgets/<int:pk>/", staff.budget_detail, name="budget"),
    path("budgets/<int:pk>/lines/", staff.line_add, name="line_add"),
    path("budgets/<int:pk>/import/", staff.budget_import, name="budget_import"),
    path("lines/<int:pk>/edit/", staff.line_edit, name="line_edit"),
    path("plans/publish/", staff.plan_publish, name="plan_publish"),
    path("threshold/", staff.threshold, name="threshold"),
]
