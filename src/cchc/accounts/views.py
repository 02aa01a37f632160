from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View
from django_filters.views import FilterView
from rest_framework import parsers, renderers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cchc.accounts import access, passwords, scope
from cchc.accounts.filters import MembershipFilterSet
from cchc.accounts.forms import AccountFileForm, AccountForm
from cchc.accounts.models import ApiToken, Membership
from cchc.accounts.provisioning import provision


class AccountView(LoginRequiredMixin, TemplateView):
    """The account's unit, role and what it may do; its API tokens (made, listed, revoked by the owner only)."""

    template_name = "accounts/account.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            membership=scope.membership(user),
            tokens=ApiToken.objects.restrict(user).filter(user=user),
            token_days=settings.CCHC_API_TOKEN_DAYS,
            sees_whole_province=access.may(user, "see_whole_province"),
            reviewed_units=len(scope.reviewed_unit_ids(user)),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        revoke = request.POST.get("revoke")
        if revoke:
            # Only the account's own tokens can be found here (another account's token is a 404).
            token = get_object_or_404(ApiToken.objects.restrict(request.user), pk=revoke if revoke.isdigit() else 0)
            token.delete()
            messages.success(request, _("The token was revoked; it no longer works."))
            return redirect("account")
        name = (request.POST.get("name") or "").strip()[:100]
        _token, key = ApiToken.issue(request.user, name=name)
        messages.success(request, _("New API token (copy it now: it is shown only once): %(key)s") % {"key": key})
        return redirect("account")


class TokenView(APIView):
    """Exchange a username and password for a new API token of the account (login throttling applies)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    parser_classes = (parsers.FormParser, parsers.MultiPartParser, parsers.JSONParser)
    renderer_classes = (renderers.JSONRenderer,)
    serializer_class = AuthTokenSerializer

    def post(self, request, *args, **kwargs):
        serializer = self.serializer_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, key = ApiToken.issue(user, name="api/token")
        return Response({"token": key, "expires": token.expires_at.isoformat()})


class AdministratorRequiredMixin(LoginRequiredMixin):
    """Pages for the province administrator (Sở Nội vụ) only: others get 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.may(request.user, "manage_accounts"):
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
        membership = get_object_or_404(Membership.objects.select_related("user", "unit"), pk=self.kwargs["pk"])
        if not access.may(self.request.user, "change", membership.user):
            raise PermissionDenied  # an account above the administrator's own (a superuser)
        return membership

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_instance()}

    def form_valid(self, form):
        created = form.instance is None
        with transaction.atomic():
            membership = form.save()
        messages.success(self.request, _("Account %(name)s saved.") % {"name": membership.user.username})
        if created:
            announce_password_link(self.request, membership.user)
        return redirect("accounts:list")


def announce_password_link(request, user) -> None:
    link = passwords.send_set_password_link(user)
    if link is None:
        messages.info(
            request, _("A one-time link to set the password was e-mailed to %(email)s.") % {"email": user.email}
        )
    else:
        messages.warning(
            request,
            _("The account has no e-mail address: hand this one-time link to its owner to set the password: %(link)s")
            % {"link": link},
        )


class PasswordLinkView(AdministratorRequiredMixin, View):
    """Send the account's owner a one-time link to set a new password (the administrator never sets or sees one)."""

    def post(self, request, pk):
        membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk)
        if not access.may(request.user, "change", membership.user):
            raise PermissionDenied
        announce_password_link(request, membership.user)
        return redirect("accounts:edit", pk=pk)


MAX_ACCOUNTS_FILE = 2 * 1024 * 1024  # about 20,000 rows: far more than a province's accounts


class AccountImportView(AdministratorRequiredMixin, FormView):
    """Accounts in bulk from the CSV of `cchc import_accounts` (username, email, unit, role), through the same
    provisioning: the whole file is checked first and nothing is written if any row is wrong (every error names its
    row and field); the same file again changes nothing. New accounts get no password: the owner sets it through a
    one-time link, e-mailed, or shown here once for accounts without an address (the administrator hands it over)."""

    template_name = "accounts/import.html"
    form_class = AccountFileForm

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        if upload.size > MAX_ACCOUNTS_FILE:
            form.add_error("file", _("The file is larger than 2 MB: is it the accounts file?"))
            return self.form_invalid(form)
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text: save it as “CSV UTF-8”."))
            return self.form_invalid(form)
        result = provision(text)
        if result.errors:
            return self.render_to_response(self.get_context_data(form=form, errors=result.errors))
        user_model = get_user_model()
        links = []
        for user in user_model.objects.filter(username__in=result.created).order_by("username"):
            link = passwords.send_set_password_link(user)
            links.append({"username": user.username, "email": user.email, "link": link})
        response = render(
            self.request,
            "accounts/import_done.html",
            {"result": result, "links": links, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
        )
        response["Cache-Control"] = "no-store"  # one-time links: never kept by a browser or a proxy
        return response
