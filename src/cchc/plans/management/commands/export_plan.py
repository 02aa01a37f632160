import json

from django.core.management.base import BaseCommand, CommandError

from cchc.plans.exports import plan_to_dict
from cchc.plans.models import Plan


class Command(BaseCommand):
    help = "Print a plan with its areas, targets (thresholds per level) and tasks."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--province", default=None, help="province code (default: the only one)")
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args, year: int, province: str | None, **options):
        plans = Plan.objects.filter(year=year)
        if province:
            plans = plans.filter(province__code=province)
        if not plans:
            raise CommandError(f"--year: no plan for {year}" + (f" in province {province}" if province else ""))
        if len(plans) > 1:
            raise CommandError(f"--province: several provinces have a plan for {year}; name one")
        self.stdout.write(json.dumps(plan_to_dict(plans[0]), ensure_ascii=False, indent=2))
