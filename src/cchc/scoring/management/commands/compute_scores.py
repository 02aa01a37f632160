import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from cchc.scoring.computed import compute_for_set
from cchc.scoring.criteria import KINDS
from cchc.scoring.models import CriteriaSet


class Command(BaseCommand):
    help = (
        "Score the computed sub-criteria of a year's criteria sets (on-time dossiers, 766 score, agency plan and "
        "reports on time, tasks done) for every open sheet (draft or submitted)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--kind", choices=KINDS)
        parser.add_argument("--on", type=dt.date.fromisoformat, help="the day the figures are taken (default today)")

    def handle(self, *args, year: int, kind: str | None, on: dt.date | None, **options):
        sets = CriteriaSet.objects.filter(year=year)
        if kind:
            sets = sets.filter(kind=kind)
        if not sets:
            raise CommandError(f"there is no criteria set for {year}")
        for criteria_set in sets:
            count = compute_for_set(criteria_set, today=on)
            self.stdout.write(f"{criteria_set}: {count} scores computed")
