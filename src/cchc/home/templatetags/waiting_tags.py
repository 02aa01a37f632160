"""Filters of the start page's "waiting for you" list."""

from django import template

register = template.Library()


@register.filter
def days_left(item, today):
    """Days until the item's deadline (negative when late), None without a deadline."""
    return item.days_left(today)


@register.filter
def negate(value):
    return -value
