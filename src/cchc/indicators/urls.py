from django.urls import path

from cchc.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.IndicatorHomeView.as_view(), name="home"),
    path("history/<str:code>/", views.UnitHistoryView.as_view(), name="history"),
    path("<str:code>/<str:period>/", views.UnitIndicatorsView.as_view(), name="unit"),
    path("<str:code>/<str:period>/export.xlsx", views.UnitIndicatorsExportView.as_view(), name="unit-export"),
    path("<str:code>/<str:period>/dossiers/", views.DossiersBehindView.as_view(), name="dossiers"),
    path("<str:code>/<str:period>/procedures/", views.ProceduresBehindView.as_view(), name="procedures"),
]
