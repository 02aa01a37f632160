from django.urls import path

from cchc.scoring import views

app_name = "scoring"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("sets/", views.SetListView.as_view(), name="sets"),
    path("sets/import/", views.SetImportView.as_view(), name="set-import"),
    path("sets/copy/", views.SetCopyView.as_view(), name="set-copy"),
    path("sets/<int:pk>/", views.SetDetailView.as_view(), name="set"),
    path("sets/<int:pk>/export.<str:fmt>", views.SetExportView.as_view(), name="set-export"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence"),
    path("<int:year>/council/", views.WorklistView.as_view(), name="worklist"),
    path("<int:year>/ranking/", views.RankingView.as_view(), name="ranking"),
    path("<int:year>/ranking/publish/", views.PublishView.as_view(), name="publish"),
    path("<int:year>/ranking/annex.docx", views.AnnexDownloadView.as_view(), name="annex"),
    path("<int:year>/ranking/table.xlsx", views.TableDownloadView.as_view(), name="table"),
    path("<int:year>/<str:code>/", views.SheetView.as_view(), name="sheet"),
    path("<int:year>/<str:code>/act/", views.SheetActionView.as_view(), name="act"),
]
