"""`{{ user|person }}`: the person behind an account, by full name and title, never a bare username."""

from django import template

from cchc.accounts.models import person_label

register = template.Library()


@register.filter
def person(user) -> str:
    return person_label(user) or "—"


@register.filter
def person_with_unit(user) -> str:
    return person_label(user, unit=True) or "—"
