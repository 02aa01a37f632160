from django.urls import path

from cchc.scorecards import views

app_name = "scorecards"
urlpatterns = [
    path("", views.ScorecardHomeView.as_view(), name="home"),
    path("<int:year>/", views.ScorecardTableView.as_view(), name="table"),
    path("<int:year>/<str:code>/", views.ScorecardUnitView.as_view(), name="unit"),
]
