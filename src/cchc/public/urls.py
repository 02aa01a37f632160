from django.urls import path

from cchc.public import views

app_name = "public"
urlpatterns = [
    path("", views.public_page, name="published"),
    path("<int:year>/", views.public_page, name="published-year"),
]
