"""Judge endpoints, mounted under ``/api/`` by ``annotator.urls``."""

from django.urls import path

from annotator import converters  # noqa: F401 - registers <id:…>
from judges import api, api_active

urlpatterns = [
    path(
        "projects/<id:project_id>/active-learning/",
        api_active.ActiveLearningApi.as_view(),
        name="active-learning",
    ),
    path(
        "projects/<id:project_id>/active-learning/retrain/",
        api_active.ActiveLearningRetrainApi.as_view(),
        name="active-learning-retrain",
    ),
    path(
        "projects/<id:project_id>/active-learning/refresh/",
        api_active.ActiveLearningRefreshApi.as_view(),
        name="active-learning-refresh",
    ),
    path(
        "projects/<id:project_id>/judges/",
        api.JudgeListCreateApi.as_view(),
        name="judge-list",
    ),
    path("judges/<id:judge_id>/", api.JudgeDetailApi.as_view(), name="judge-detail"),
    path(
        "judges/<id:judge_id>/confusion-items/",
        api.ConfusionItemsApi.as_view(),
        name="judge-confusion-items",
    ),
    path("judge-templates/", api.JudgeTemplatesApi.as_view(), name="judge-templates"),
    path("judges/<id:judge_id>/runs/", api.JudgeRunListCreateApi.as_view(), name="judge-runs"),
    path("judge-runs/<id:run_id>/", api.JudgeRunDetailApi.as_view(), name="judge-run-detail"),
    path(
        "judge-runs/<id:run_id>/cancel/",
        api.JudgeRunCancelApi.as_view(),
        name="judge-run-cancel",
    ),
    path(
        "assignments/<id:assignment_id>/suggestions/",
        api.AssignmentSuggestionsApi.as_view(),
        name="assignment-suggestions",
    ),
    path(
        "projects/<id:project_id>/items/<id:item_id>/predictions/",
        api.ItemPredictionsApi.as_view(),
        name="item-predictions",
    ),
    path(
        "judge-runs/<id:run_id>/predictions/",
        api.RunPredictionListApi.as_view(),
        name="judge-run-predictions",
    ),
]
