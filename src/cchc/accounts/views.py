from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken

from cchc.accounts import scope
from cchc.accounts.filters import MembershipFilterSet
from cchc.accounts.forms import AccountForm
from cchc.accounts.models import Membership


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


class AdministratorRequiredMixin(LoginRequiredMixin):
    """Pages for the province administrator (Sở Nội vụ) only: others get 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope.is_administrator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class MembershipListView(AdministratorRequiredMixin, FilterView):
    template_name = "accounts/membership_list.html"
    filterset_class = MembershipFilterSet
    paginate_by = 50

    def get_queryset(self):
        return Membership.objects.select_related("user", "unit").order_by(
            "unit__kind", "unit__sort_order", "user__username"
        )


class MembershipFormView(AdministratorRequiredMixin, FormView):
    template_name = "accounts/membership_form.html"
    form_class = AccountForm

    def get_instance(self) -> Membership | None:
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(Membership.objects.select_related("user", "unit"), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_instance()}

    def form_valid(self, form):
        with transaction.atomic():
            membership = form.save()
        messages.success(self.request, _("Account %(name)s saved.") % {"name": membership.user.username})
        return redirect("accounts:list")
