from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken

from cchc.accounts import scope


class AccountView(LoginRequiredMixin, TemplateView):
    """The account's unit, role and what it may do; its API token (created or replaced on request)."""

    template_name = "accounts/account.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            membership=scope.membership(user),
            token=Token.objects.filter(user=user).first(),
            sees_whole_province=scope.sees_whole_province(user),
            reviewed_units=len(scope.reviewed_unit_ids(user)),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        # A new token invalidates the old one: the way to revoke a leaked token.
        Token.objects.filter(user=request.user).delete()
        Token.objects.create(user=request.user)
        messages.success(request, _("A new API token was created; the previous one no longer works."))
        return redirect("account")


class TokenView(ObtainAuthToken):
    """Exchange a username and password for the account's API token (login throttling applies)."""
