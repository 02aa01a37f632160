"""A limit per address besides django-axes' limit per username and address: one address cannot try a password on
every account. Failures from the address (all usernames, within the cool-off time) are summed from axes' own records;
past LOGIN_ADDRESS_FAILURE_LIMIT the address gets the lockout page (429) until the cool-off time passes."""

from __future__ import annotations

import datetime as dt

from axes.exceptions import AxesBackendPermissionDenied
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def address_failures(ip_address: str) -> int:
    since = timezone.now() - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    found = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since)
    return found.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AddressLimitBackend:
    """First authentication backend: refuses any login from an address past its failure limit."""

    def authenticate(self, request, **credentials):
        if request is None:
            return None  # the command line: nothing to throttle
        ip_address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
        if ip_address and address_failures(ip_address) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            request.axes_locked_out = True  # AxesMiddleware answers with the lockout page
            raise AxesBackendPermissionDenied("too many failed logins from this address")
        return None  # no get_user(): this backend never logs anyone in (Django then keeps the one that did)
