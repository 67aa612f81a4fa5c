from csp.decorators import csp_update
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from annotator import converters  # noqa: F401 - registers <id:…>
from annotator.api import annotations, auth, exports, health, imports, items, metrics, projects
from annotator.frontend import app_index

# Swagger UI's page (drf-spectacular's template) has one inline <style>: the policy allows exactly
# that one by its hash. Its start-up script comes from the view itself (the split view), not inline.
SWAGGER_UI_STYLE = "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"
api_docs = csp_update({"style-src": [SWAGGER_UI_STYLE]})(
    SpectacularSwaggerSplitView.as_view(url_name="schema")
)

api: list[URLPattern | URLResolver] = [
    path("auth/token/", auth.TokenCreateApi.as_view(), name="auth-token"),
    path("auth/login/", auth.LoginApi.as_view(), name="auth-login"),
    path("auth/logout/", auth.LogoutApi.as_view(), name="auth-logout"),
    path("auth/me/", auth.MeApi.as_view(), name="auth-me"),
    path("auth/tokens/", auth.TokenListApi.as_view(), name="auth-token-list"),
    path("auth/tokens/revoke-all/", auth.TokenRevokeAllApi.as_view(), name="auth-token-revoke-all"),
    path("auth/tokens/<str:token_key>/", auth.TokenRevokeApi.as_view(), name="auth-token-revoke"),
    path("health/", health.HealthApi.as_view(), name="health"),
    path("ready/", health.ReadyApi.as_view(), name="ready"),
    path("projects/", projects.ProjectListCreateApi.as_view(), name="project-list"),
    path("projects/<id:project_id>/", projects.ProjectDetailApi.as_view(), name="project-detail"),
    path(
        "projects/<id:project_id>/members/",
        projects.MemberListCreateApi.as_view(),
        name="member-list",
    ),
    path(
        "projects/<id:project_id>/members/<id:member_id>/",
        projects.MemberDetailApi.as_view(),
        name="member-detail",
    ),
    path(
        "projects/<id:project_id>/worker-ping/",
        projects.WorkerPingApi.as_view(),
        name="worker-ping",
    ),
    path(
        "projects/<id:project_id>/import/",
        imports.ItemImportApi.as_view(),
        name="item-import",
    ),
    path("projects/<id:project_id>/next/", annotations.NextItemApi.as_view(), name="next-item"),
    path(
        "projects/<id:project_id>/annotations/",
        annotations.ProjectAnnotationsApi.as_view(),
        name="project-annotations",
    ),
    path("projects/<id:project_id>/items/", items.ItemListApi.as_view(), name="item-list"),
    path(
        "projects/<id:project_id>/items/<id:item_id>/",
        items.ItemDetailApi.as_view(),
        name="item-detail",
    ),
    path("projects/<id:project_id>/gold/", items.GoldAccuracyApi.as_view(), name="gold"),
    path(
        "assignments/<id:assignment_id>/submit/",
        annotations.AssignmentSubmitApi.as_view(),
        name="assignment-submit",
    ),
    path(
        "assignments/<id:assignment_id>/skip/",
        annotations.AssignmentSkipApi.as_view(),
        name="assignment-skip",
    ),
    path(
        "annotations/<id:annotation_id>/",
        annotations.AnnotationDetailApi.as_view(),
        name="annotation-detail",
    ),
    path(
        "annotations/<id:annotation_id>/versions/",
        annotations.AnnotationVersionsApi.as_view(),
        name="annotation-versions",
    ),
    path(
        "annotations/<id:annotation_id>/review/",
        annotations.AnnotationReviewApi.as_view(),
        name="annotation-review",
    ),
    path("projects/<id:project_id>/metrics/", metrics.MetricsApi.as_view(), name="metrics"),
    path(
        "projects/<id:project_id>/metrics/items/",
        metrics.MetricsItemsApi.as_view(),
        name="metrics-items",
    ),
    path(
        "projects/<id:project_id>/leaderboard/",
        metrics.LeaderboardApi.as_view(),
        name="leaderboard",
    ),
    path(
        "projects/<id:project_id>/exports/",
        exports.ExportListCreateApi.as_view(),
        name="export-list",
    ),
    path("exports/<id:export_id>/", exports.ExportDetailApi.as_view(), name="export-detail"),
    path(
        "exports/<id:export_id>/download/",
        exports.ExportDownloadApi.as_view(),
        name="export-download",
    ),
    path("projects/<id:project_id>/records/", exports.RecordsApi.as_view(), name="records"),
    # Judges are an app of their own; included by name so the core never imports it.
    path("", include("judges.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_docs, name="docs"),
]

handler404 = "annotator.api.errors.not_found"

urlpatterns = [
    path("api/", include(api)),
    path("admin/", admin.site.urls),
    # Everything else belongs to the browser app's router (but never api/, static/ or ws/).
    re_path(r"^(?!api/|static/|ws/|admin/)(?P<path>.*)$", app_index, name="app"),
]
