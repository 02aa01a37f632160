"""API token authentication: expiring, hashed, revocable tokens (ApiToken); changes made with a token are logged with
its owner as author (django-auditlog's actor, which its middleware cannot know before DRF authenticates)."""

from __future__ import annotations

import contextlib
import datetime as dt

from auditlog.context import auditlog_value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from cchc.accounts.models import ApiToken

LAST_USED_EVERY = dt.timedelta(minutes=5)  # how often the "last used" time is written


def set_audit_actor(user) -> None:
    """Make `user` the author of every change logged for the rest of this request."""
    with contextlib.suppress(LookupError):  # outside a request (no middleware): nothing to tag
        auditlog_value.get()["actor"] = user


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`: a valid, unexpired token of an active account."""

    model = ApiToken

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        set_audit_actor(token.user)
        return token.user, token


def revoke_all(user) -> int:
    """Delete every token of the account (after a password change); each deletion is audited."""
    count = 0
    for token in ApiToken.objects.filter(user=user):
        token.delete()
        count += 1
    return count
