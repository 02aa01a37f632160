from django.urls import path

from cchc.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.ReportIndexView.as_view(), name="index"),
    path("open/", views.ReportOpenView.as_view(), name="open"),
    path("periods/new/", views.ReportPeriodsCreateView.as_view(), name="periods-create"),
    path("review/", views.ReviewQueueView.as_view(), name="review"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
]
