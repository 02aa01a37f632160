from django.urls import path

from cchc.reminders import views

app_name = "reminders"
urlpatterns = [
    path("", views.NoticeListView.as_view(), name="notices"),
    path("<int:pk>/read/", views.MarkReadView.as_view(), name="mark-read"),
    path("read-all/", views.MarkAllReadView.as_view(), name="mark-all-read"),
    path("owed/", views.OwedView.as_view(), name="owed"),
]
