"""Moved to `cchc.plans.assignment` (which tasks a unit carries out is the plan's); kept for core/demo_workflow.py
until the demo seeders move to their own app."""

from cchc.plans.assignment import carrying_unit_q, is_assigned, tasks_for_unit

__all__ = ["carrying_unit_q", "is_assigned", "tasks_for_unit"]
