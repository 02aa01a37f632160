from django.core.management.base import BaseCommand

from cchc.demo.targets import seed_demo_targets


class Command(BaseCommand):
    help = "Seed the demo's 2023 target values: entries with evidence (reviewed), baselines, SIPAS surveys (once)."

    def handle(self, *args, **options):
        seed_demo_targets(stdout=self.stdout)
