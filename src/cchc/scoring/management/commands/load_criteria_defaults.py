from django.core.management.base import BaseCommand

from cchc.scoring import sets


class Command(BaseCommand):
    help = (
        "Load the default 2023 criteria sets of the PAR index (departments, districts, communes) that are not in the "
        "database yet. They are defaults, to be replaced by the province's decision (import_criteria --replace)."
    )

    def handle(self, *args, **options):
        loaded = sets.load_defaults()
        for criteria_set in loaded:
            self.stdout.write(f"Loaded {criteria_set} ({criteria_set.kind})")
        if not loaded:
            self.stdout.write("Default criteria sets: already loaded")
