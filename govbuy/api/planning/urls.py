"""URLs of the planning API (included once by govbuy/api/urls.py; names and paths are part of the API)."""

from __future__ import annotations

from django.urls import path

from govbuy.api.planning.views import (
    PROJECT_ACTIONS,
    BudgetDetailView,
    BudgetImportView,
    BudgetLinesView,
    BudgetListView,
    LineDetailView,
    PlanDetailView,
    PlanListView,
    PlanPublishView,
    ProjectDetailView,
    ProjectListView,
    ThresholdView,
    TodoView,
    project_action_view,
)

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
            project_action_view(name, service, ser, summary).as_view(),
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
