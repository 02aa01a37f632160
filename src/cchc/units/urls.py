from django.urls import path

from cchc.units import views

app_name = "units"
urlpatterns = [
    path("", views.UnitDirectoryView.as_view(), name="directory"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="detail"),
]
