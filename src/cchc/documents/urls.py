from django.urls import path

from cchc.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.DocumentsView.as_view(), name="index"),
    path("jobs/<int:pk>/", views.JobView.as_view(), name="job"),
    path("jobs/<int:pk>/download/", views.DownloadView.as_view(), name="download"),
]
