from django.urls import path

from cchc.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="home"),
]
