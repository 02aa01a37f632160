import json

from django.core.management.base import BaseCommand, CommandError

from cchc.indicators.compute import recompute
from cchc.indicators.models import IndicatorValue
from cchc.indicators.periods import parse_period
from cchc.indicators.queries import indicators_document, unit_for_period
from cchc.units.models import Unit


class Command(BaseCommand):
    help = "Print one unit's (with its children) area-2 targets, 766 sub-indicators and 766 index for a period."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="unit code, e.g. 60, 593, SNV")
        parser.add_argument("--period", required=True, help="2023, 2023S1, 2023Q1 or 202303")
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args, unit: str, period: str, **options):
        try:
            parsed = parse_period(period)
        except ValueError as exc:
            raise CommandError(f"--period: {exc}") from None
        try:
            found = unit_for_period(unit, period)
        except Unit.DoesNotExist as exc:
            raise CommandError(f"--unit: {exc.args[0]}") from None
        if not IndicatorValue.objects.filter(period=period).exists():
            self.stderr.write(f"No figures stored for {period} yet: computing {parsed.start.year} …")
            recompute(parsed.start.year)
        self.stdout.write(json.dumps(indicators_document(found, period), ensure_ascii=False, indent=2))
