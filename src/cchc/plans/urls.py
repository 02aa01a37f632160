from django.urls import path

from cchc.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.PlanListView.as_view(), name="list"),
    path("<int:year>/", views.PlanDetailView.as_view(), name="detail"),
    path("<int:year>/tasks/", views.TaskListView.as_view(), name="tasks"),
    path("<int:year>/targets/<str:code>/", views.TargetDetailView.as_view(), name="target"),
    path("<int:year>/export.json", views.PlanExportView.as_view(), name="export"),
]
