from django.core.management.base import BaseCommand

from cchc.demo.workflow import seed_demo_workflow


class Command(BaseCommand):
    help = (
        "Play the agencies' work of 2023 for the demo: agency plans, task progress, periodic reports and their reviews "
        "(deterministic; nothing is done when the 2023 agency plans already exist)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2023, help="seed of the random choices (default 2023)")

    def handle(self, *args, seed: int, **options):
        seed_demo_workflow(seed=seed, stdout=self.stdout)
