"""`{% state_badge item %}` / `{% state_badge "accepted" %}`: the one word for a workflow state (review/states.py)."""

from django import template
from django.utils.html import format_html

from cchc.review import states

register = template.Library()


@register.simple_tag
def state_badge(item_or_state, handed: bool = False):
    """A badge for a reviewable item (handed-over drafts say so) or for a bare state (None: not submitted)."""
    if item_or_state is None or isinstance(item_or_state, str):
        shown = states.shown(item_or_state or None, handed)
    else:
        shown = states.shown(item_or_state.status, item_or_state.is_handed)
    return format_html(
        '<span class="badge {}" data-status="{}">{}</span>',
        states.STATE_BADGES[shown],
        shown,
        states.STATE_LABELS[shown],
    )


@register.filter
def state_label(state) -> str:
    return states.label(state or None)
