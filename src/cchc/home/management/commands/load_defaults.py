from django.core.management import call_command
from django.core.management.base import BaseCommand

from cchc.plans.loading import load_plan_text, shipped_plan_path
from cchc.plans.models import Plan
from cchc.units.divisions import package_data_version, province_records
from cchc.units.loading import sync_units
from cchc.workdays.loading import load_day_overrides


class Command(BaseCommand):
    help = "Load the shipped units of Bình Thuận and its 2023 plan; what is already there is left as it is."

    def handle(self, *args, **options):
        created, kept = sync_units(province_records("60"), update_existing=False)
        self.stdout.write(f"Units: {created} created, {kept} already present ({package_data_version()})")
        created = load_day_overrides()
        self.stdout.write(f"Calendar: {created} announced day change(s) added")
        if Plan.objects.filter(province__code="60", year=2023).exists():
            self.stdout.write("Plan 2023: already present, left unchanged")
        else:
            plan, _ = load_plan_text(shipped_plan_path(2023).read_text("utf-8"))
            self.stdout.write(
                f"Plan 2023: {plan.areas.count()} areas, {plan.targets.count()} targets, {plan.tasks.count()} tasks"
            )
        # The Decree 09/2019 report periods of the plan's year with their deadlines (dates an administrator edited
        # are kept).
        call_command("create_report_periods", "2023", stdout=self.stdout)
        # The default 2023 criteria sets of the PAR index (labelled as defaults to be replaced by the province's own).
        call_command("load_criteria_defaults", stdout=self.stdout)
