"""Scorecards as JSON: the figures of the pages, with the links to their sources."""

from __future__ import annotations

from dataclasses import asdict

from django.urls import reverse

from cchc.scorecards.rules import Scorecard


def card_data(card: Scorecard) -> dict:
    return {
        "unit": card.code,
        "name": card.name,
        "kind": card.kind,
        "year": card.year,
        "rank": card.rank,
        "index766": {"total": card.score, "max": card.score_max, "band": card.band},
        "targets": {
            "met": card.targets_met,
            "judged": card.targets_judged,
            "items": [
                {
                    "code": t.code,
                    "value": t.value,
                    "numerator": t.numerator,
                    "denominator": t.denominator,
                    "op": t.op,
                    "threshold": t.threshold,
                    "met": t.met,
                }
                for t in card.targets
            ],
        },
        "tasks": {**asdict(card.tasks), "share_done": card.tasks_share},
        "reports": [{"period": r.key, "due": r.due, "status": r.status} for r in card.reports],
        "agency_plan": None
        if card.agency_plan is None
        else {"due": card.agency_plan.due, "status": card.agency_plan.status},
        "on_time_share": card.on_time_share,
        "links": {
            "card": reverse("scorecards:unit", args=[card.year, card.code]),
            "indicators": reverse("indicators:unit", args=[card.code, str(card.year)]),
        },
    }
