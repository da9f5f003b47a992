"""URLs of the planning API (included once by govbuy/api/urls.py; names and paths are part of the API)."""

from __future__ import annotations

from django.urls import path

from govbuy.api.planning import views

urlpatterns = [
    path("planning/budgets/", views.BudgetListView.as_view(), name="planning-budgets"),
    path("planning/budgets/<int:pk>/", views.BudgetDetailView.as_view(), name="planning-budget"),
    path("planning/budgets/<int:pk>/lines/", views.BudgetLinesView.as_view(), name="planning-budget-lines"),
    path("planning/budgets/<int:pk>/import/", views.BudgetImportView.as_view(), name="planning-budget-import"),
    path("planning/lines/<int:pk>/", views.LineDetailView.as_view(), name="planning-line"),
    path("planning/projects/", views.ProjectListView.as_view(), name="planning-projects"),
    path("planning/projects/<int:pk>/", views.ProjectDetailView.as_view(), name="planning-project"),
    *[
        path(
            f"planning/projects/<int:pk>/{name}/",
            views.project_action_view(name, service, ser, summary).as_view(),
            name=f"planning-project-{name}",
        )
        for name, service, ser, summary in views.PROJECT_ACTIONS
    ],
    path("planning/todo/", views.TodoView.as_view(), name="planning-todo"),
    path("planning/plans/publish/", views.PlanPublishView.as_view(), name="planning-plan-publish"),
    path("planning/thresholds/", views.ThresholdView.as_view(), name="planning-thresholds"),
    path("plans/", views.PlanListView.as_view(), name="plans"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan"),
]
