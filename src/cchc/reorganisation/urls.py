from django.urls import path

from cchc.reorganisation import views

app_name = "reorganisation"
urlpatterns = [
    path("", views.UnitEventListView.as_view(), name="events"),
    path("new/", views.UnitEventCreateView.as_view(), name="event_add"),
]
