from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from cchc.accounts.views import AccountView, TokenView
from cchc.agencyplans.api import views as agencyplan_api
from cchc.core.api_schema import SchemaView
from cchc.core.health import healthz
from cchc.core.job_views import JobDetailView, JobErrorReportView, JobFileView
from cchc.dashboard.api import views as dashboard_api
from cchc.documents.api import views as document_api
from cchc.dossiers.api import views as dossier_api
from cchc.home.audit_views import AuditLogView
from cchc.home.views import HomeView
from cchc.indicators.api import views as indicator_api
from cchc.plans.api import views as plan_api
from cchc.progress.api import views as progress_api
from cchc.public.api import views as public_api
from cchc.reminders.api import views as reminder_api
from cchc.reports.api import views as report_api
from cchc.scorecards.api import views as scorecard_api
from cchc.scoring.api import views as scoring_api
from cchc.targets.api import views as target_api
from cchc.units.api import views as unit_api

router = DefaultRouter()
# Each app adds its routes (`api.views.register`); the order is the API root's.
for api in (
    unit_api,
    plan_api,
    indicator_api,
    dossier_api,
    agencyplan_api,
    progress_api,
    report_api,
    reminder_api,
    dashboard_api,
    document_api,
    scorecard_api,
    public_api,
    scoring_api,
    target_api,
):
    api.register(router)

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Self-service passwords (Django's views; templates in templates/registration).
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt",
            extra_email_context={"site_url": settings.CCHC_SITE_URL},
        ),
        name="password_reset",
    ),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("account/", AccountView.as_view(), name="account"),
    path("accounts/", include("cchc.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("plans/", include("cchc.plans.urls")),
    path("units/events/", include("cchc.reorganisation.urls")),
    path("units/", include("cchc.units.urls")),
    path("indicators/", include("cchc.indicators.urls")),
    path("dossiers/", include("cchc.dossiers.urls")),
    path("agency-plans/", include("cchc.agencyplans.urls")),
    path("progress/", include("cchc.progress.urls")),
    path("reports/", include("cchc.reports.urls")),
    path("reminders/", include("cchc.reminders.urls")),
    path("dashboard/", include("cchc.dashboard.urls")),
    path("documents/", include("cchc.documents.urls")),
    path("scorecards/", include("cchc.scorecards.urls")),
    path("public/", include("cchc.public.urls")),
    path("scoring/", include("cchc.scoring.urls")),
    path("targets/", include("cchc.targets.urls")),
    path("audit/", AuditLogView.as_view(), name="audit-log"),
    path("jobs/<int:pk>/", JobDetailView.as_view(), name="job"),
    path("jobs/<int:pk>/errors.csv", JobErrorReportView.as_view(), name="job-errors"),
    path("jobs/<int:pk>/file", JobFileView.as_view(), name="job-file"),
    path("admin/", admin.site.urls),
    path("api/indicators/", indicator_api.IndicatorsView.as_view(), name="api-indicators"),
    path("api/", include(router.urls)),
    path("api/token/", TokenView.as_view(), name="api-token"),
    # The API's description is for logged-in accounts (session or token) only; generated once per process.
    path("api/schema/", SchemaView.as_view(permission_classes=[IsAuthenticated]), name="api-schema"),
    path("api/docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
]

admin.site.site_header = "cchc"
admin.site.site_title = "cchc"
