from django.urls import path

from cchc.agencyplans import views

app_name = "agencyplans"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("<int:year>/", views.OverviewView.as_view(), name="overview"),
    path("<int:year>/<str:code>/", views.DetailView.as_view(), name="detail"),
    path("<int:year>/<str:code>/review/", views.ReviewView.as_view(), name="review"),
    path("<int:year>/<str:code>/document/", views.DocumentView.as_view(), name="document"),
]
