from django.urls import path

from cchc.progress import views

app_name = "progress"
urlpatterns = [
    path("", views.UnitTasksView.as_view(), name="home"),
    path("monitor/", views.MonitorView.as_view(), name="monitor"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence"),
    path("<int:year>/<str:code>/<str:unit>/", views.TaskProgressView.as_view(), name="task"),
    path("<str:code>/", views.TaskRedirectView.as_view(), name="task-redirect"),
]
