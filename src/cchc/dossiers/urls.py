from django.urls import path

from cchc.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("import/", views.ImportView.as_view(), name="import"),
]
