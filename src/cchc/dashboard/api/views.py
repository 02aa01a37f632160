"""GET /api/dashboard/?year=2023&period=&unit=&level= — the dashboard's rows (same builder as the page)."""

from __future__ import annotations

from dataclasses import asdict

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from cchc.core import clock
from cchc.dashboard import queries
from cchc.dashboard.api.serializers import DashboardSerializer
from cchc.dashboard.filters import BadFilter, resolve


def _projection(p):
    return None if p is None else asdict(p)


def document(board: queries.Board) -> dict:
    rows = []
    for area in board.areas:
        for row in area["rows"]:
            rows.append(
                {
                    "area": row.target.area.number,
                    "code": row.target.code,
                    "name": row.target.display_name,
                    "kind": row.target.kind,
                    "multi_year_path": row.is_path,
                    "status": row.status,
                    "cells": [
                        {
                            "level": c.level,
                            "op": c.op,
                            "threshold": c.limit,
                            "threshold_year_end": c.limit_year_end,
                            "value": c.value,
                            "numerator": c.numerator,
                            "denominator": c.denominator,
                            "source": c.source,
                            "source_period": c.source_period,
                            "link": c.link,
                            "status": c.status,
                            "projection": _projection(c.projection),
                            "trend": c.trend,
                        }
                        for c in row.cells.values()
                    ],
                }
            )
    return {
        "year": board.period.start.year,
        "period": board.period.code,
        "unit": board.unit.code,
        "level": board.level,
        "months_elapsed": board.elapsed,
        "year_complete": board.year_complete,
        "rows": rows,
        "at_risk": [
            {
                "target": r.target.code,
                "unit": r.unit.code,
                "level": r.level,
                "value": r.value,
                "projection": _projection(r.projection),
                "threshold": r.limit,
                "shortfall": r.shortfall,
                "link": r.link,
            }
            for r in board.at_risk
        ],
    }


class DashboardViewSet(viewsets.ViewSet):
    """Every target of the plan for a unit and period: value per level, threshold, status, projection, source."""

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="plan year (default: the current plan)"),
            OpenApiParameter("period", str, description="2023, 2023S1, 2023Q1 or 202303 (default: the year)"),
            OpenApiParameter("unit", str, description="unit code (default: the province)"),
            OpenApiParameter("level", str, enum=["P", "D", "C", "province"]),
        ],
        responses=DashboardSerializer,
    )
    def list(self, request):
        try:
            _form, unit, period, level = resolve(request.query_params)
        except BadFilter as exc:
            raise ValidationError(str(exc)) from None
        except Http404 as exc:
            raise NotFound(str(exc)) from None
        board = queries.build(request.user, unit, period, level, today=clock.today())
        return Response(DashboardSerializer(document(board)).data)


def register(router) -> None:
    """Add this app's API routes to the project's router."""
    router.register("dashboard", DashboardViewSet, basename="dashboard")
