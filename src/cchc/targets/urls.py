from django.urls import path

from cchc.targets import views

app_name = "targets"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("<int:pk>/open/", views.OpenEntryView.as_view(), name="open"),
    path("entries/<int:pk>/", views.EntryView.as_view(), name="entry"),
    path("entries/<int:pk>/review/", views.ReviewView.as_view(), name="review"),
    path("evidence/<int:pk>/", views.EvidenceView.as_view(), name="evidence"),
    path("surveys/", views.SurveyListView.as_view(), name="surveys"),
    path("surveys/<int:pk>/", views.SurveyView.as_view(), name="survey"),
    path("baselines/<int:pk>/", views.BaselineView.as_view(), name="baseline"),
    path("<int:pk>/baseline/", views.BaselineEditView.as_view(), name="baseline-edit"),
]
