from django.urls import path

from govbuy.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.project_list, name="projects"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/<str:action>/", views.project_action, name="project_action"),
    path("budgets/", views.budget_list, name="budgets"),
    path("budgets/<int:pk>/", views.budget_detail, name="budget"),
    path("budgets/<int:pk>/lines/", views.line_add, name="line_add"),
    path("budgets/<int:pk>/import/", views.budget_import, name="budget_import"),
    path("lines/<int:pk>/edit/", views.line_edit, name="line_edit"),
    path("plans/publish/", views.plan_publish, name="plan_publish"),
    path("threshold/", views.threshold, name="threshold"),
]
