"""Passwords are known only to their owner: an administrator sends a one-time link (Django's password-reset token:
valid once, until the password changes or PASSWORD_RESET_TIMEOUT passes) with which the owner sets it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _


def set_password_link(user) -> str:
    """The absolute one-time link with which `user` sets a new password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.CCHC_SITE_URL + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


def send_set_password_link(user) -> str | None:
    """E-mail the link to the account's address; returns the link when the account has no address (the administrator
    hands it over: it works once, and the owner chooses the password)."""
    link = set_password_link(user)
    if not user.email:
        return link
    body = render_to_string(
        "registration/set_password_email.txt",
        {"user": user, "link": link, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
    )
    send_mail(_("Set the password of your cchc account"), body, None, [user.email])
    return None
