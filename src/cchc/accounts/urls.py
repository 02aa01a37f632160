from django.urls import path

from cchc.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.MembershipListView.as_view(), name="list"),
    path("new/", views.MembershipFormView.as_view(), name="create"),
    path("import/", views.AccountImportView.as_view(), name="import"),
    path("<int:pk>/", views.MembershipFormView.as_view(), name="edit"),
    path("<int:pk>/password-link/", views.PasswordLinkView.as_view(), name="password-link"),
]
