"""The accounts of the demo: one per role that a newcomer logs in with, and the accounts that act for each unit."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from cchc.accounts.models import Membership, Role
from cchc.units.models import Unit, UnitKind

# One account per role, so a newcomer can see the system as each of its users does.
DEMO_ACCOUNTS = [
    ("snv.quantri", "SNV", Role.ADMINISTRATOR),
    ("stp.theodoi", "STP", Role.MONITOR),
    ("ubnd.lanhdao", "VPUBND", Role.LEADER),
    ("phanthiet.bientap", "593", Role.EDITOR),
    ("phanthiet.lanhdao", "593", Role.HEAD),
    ("phanthiet.huyen", "593", Role.DISTRICT_OFFICER),
    ("muine.bientap", "22915", Role.EDITOR),
    ("muine.lanhdao", "22915", Role.HEAD),
    ("lagi.bientap", "594", Role.EDITOR),
    ("stp.bientap", "STP", Role.EDITOR),
    ("stp.lanhdao", "STP", Role.HEAD),
]


class Accounts:
    """The account that acts for a unit in a role: an existing one (the demo's), else one made for the demo
    ("<code>.lanhdao", "<code>.bientap", "<code>.huyen") that cannot log in (unusable password)."""

    SUFFIX = {
        Role.HEAD: "lanhdao",
        Role.EDITOR: "bientap",
        Role.DISTRICT_OFFICER: "huyen",
        Role.ADMINISTRATOR: "quantri",
    }

    def __init__(self):
        self.demo_names = {(code, role): username for username, code, role in DEMO_ACCOUNTS}
        self.cache: dict[tuple[int, str], object] = {}
        self.created = 0
        for membership in Membership.objects.select_related("user", "unit").order_by("user__username"):
            self.cache.setdefault((membership.unit_id, membership.role), membership.user)

    def ensure(self, needed: list[tuple[Unit, str]]) -> None:
        """Make the missing accounts in three queries (the seeding acts for about a hundred units)."""
        user_model = get_user_model()
        wanted = {}
        for unit, role in needed:
            if (unit.pk, role) not in self.cache:
                name = self.demo_names.get((unit.code, role)) or f"{unit.code.lower()}.{self.SUFFIX[role]}"
                wanted[(unit.pk, role)] = (unit, name)
        existing = {
            user.username: user
            for user in user_model.objects.filter(username__in=[name for _, name in wanted.values()]).select_related(
                "membership"
            )
        }
        new_users, memberships = [], []
        for (_unit_id, role), (unit, name) in wanted.items():
            user = existing.get(name)
            held = getattr(user, "membership", None) if user else None
            if held is not None:  # the name is taken by an account of another unit or role
                user = None
                name = f"{name}.demo"
            if user is None:
                user = user_model(username=name)
                user.set_unusable_password()
                new_users.append(user)
            memberships.append((user, unit, role))
        user_model.objects.bulk_create(new_users)
        self.created += len(new_users)
        by_name = {
            u.username: u for u in user_model.objects.filter(username__in=[u.username for u, _, _ in memberships])
        }
        Membership.objects.bulk_create(
            Membership(user=by_name[user.username], unit=unit, role=role) for user, unit, role in memberships
        )
        for user, unit, role in memberships:
            self.cache[(unit.pk, role)] = by_name[user.username]

    def get(self, unit: Unit, role: str):
        if (unit.pk, role) not in self.cache:
            self.ensure([(unit, role)])
        return self.cache[(unit.pk, role)]

    def reviewer(self, unit: Unit, administrator_unit: Unit):
        if unit.kind == UnitKind.COMMUNE:
            return self.get(unit.parent, Role.DISTRICT_OFFICER)
        return self.get(administrator_unit, Role.ADMINISTRATOR)
