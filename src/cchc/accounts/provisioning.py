"""Accounts in bulk: a CSV of username, e-mail, unit code and role → users with their memberships.

A province goes live with one editor and one head per unit (about 300 accounts); a file is how Sở Nội vụ hands
them over. The whole file is checked first; if any row is wrong nothing is written and every error names its
row and field. Running the same file again changes nothing (idempotent); a changed role or unit is updated.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from cchc.accounts.models import Membership, Role
from cchc.units.models import Unit

COLUMNS = ("username", "email", "unit", "role")
USERNAME = re.compile(r"^[\w.@+-]{1,150}$")


@dataclass
class AccountRow:
    line: int
    username: str
    email: str
    unit_code: str
    role: str


@dataclass
class ProvisioningResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_rows(text: str) -> tuple[list[AccountRow], list[str]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return [], [
            _("header: missing column(s) %(missing)s; expected %(expected)s")
            % {"missing": ", ".join(missing), "expected": ", ".join(COLUMNS)}
        ]
    rows, errors = [], []
    units = dict(Unit.objects.current().values_list("code", "kind"))
    roles = set(Role.values)
    seen: dict[str, int] = {}
    for line, record in enumerate(reader, start=2):
        row = AccountRow(
            line,
            (record.get("username") or "").strip(),
            (record.get("email") or "").strip(),
            (record.get("unit") or "").strip(),
            (record.get("role") or "").strip().lower(),
        )
        if not USERNAME.match(row.username):
            errors.append(
                _("row %(line)s, username: %(value)s is empty or has characters other than letters, digits, @.+-_")
                % {"line": line, "value": repr(row.username)}
            )
        elif row.username in seen:
            errors.append(
                _("row %(line)s, username: %(value)s already appears on row %(first)s")
                % {"line": line, "value": row.username, "first": seen[row.username]}
            )
        else:
            seen[row.username] = line
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                errors.append(
                    _("row %(line)s, email: %(value)s is not an e-mail address")
                    % {"line": line, "value": repr(row.email)}
                )
        if row.unit_code not in units:
            errors.append(
                _("row %(line)s, unit: no current unit has the code %(value)s")
                % {"line": line, "value": repr(row.unit_code)}
            )
        if row.role not in roles:
            errors.append(
                _("row %(line)s, role: %(value)s is not one of %(roles)s")
                % {"line": line, "value": repr(row.role), "roles": ", ".join(sorted(roles))}
            )
        elif row.role == Role.DISTRICT_OFFICER and units.get(row.unit_code, "district") != "district":
            errors.append(
                _("row %(line)s, role: a district officer belongs to a district, not to %(value)s")
                % {"line": line, "value": row.unit_code}
            )
        rows.append(row)
    return rows, errors


def provision(text: str) -> ProvisioningResult:
    """Create or update the accounts of the file, all or nothing. New accounts get no usable password: they set
    one through the password-reset e-mail or an administrator sets it."""
    result = ProvisioningResult()
    rows, result.errors = read_rows(text)
    if result.errors:
        return result
    user_model = get_user_model()
    units = {u.code: u for u in Unit.objects.current()}
    with transaction.atomic():
        existing = {u.username: u for u in user_model.objects.filter(username__in=[r.username for r in rows])}
        memberships = {m.user_id: m for m in Membership.objects.filter(user__in=existing.values())}
        for row in rows:
            user = existing.get(row.username)
            unit = units[row.unit_code]
            if user is None:
                user = user_model(username=row.username, email=row.email)
                user.set_unusable_password()
                user.save()
                Membership.objects.create(user=user, unit=unit, role=row.role)
                result.created.append(row.username)
                continue
            changed = False
            if row.email and user.email != row.email:
                user.email = row.email
                user.save(update_fields=["email"])
                changed = True
            membership = memberships.get(user.pk)
            if membership is None:
                Membership.objects.create(user=user, unit=unit, role=row.role)
                changed = True
            elif (membership.unit_id, membership.role) != (unit.pk, row.role):
                membership.unit, membership.role = unit, row.role
                membership.save()
                changed = True
            (result.updated if changed else result.unchanged).append(row.username)
    return result
