from django.core.management.base import BaseCommand

from cchc.demo.scoring import seed_demo_scoring


class Command(BaseCommand):
    help = (
        "Play the 2023 PAR-index round for the demo: self-assessments of departments, districts and the communes of "
        "TP Phan Thiết, survey results, appraisal, final scores and the published ranking (deterministic; nothing is "
        "done when 2023 assessments already exist)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2023, help="seed of the random choices (default 2023)")

    def handle(self, *args, seed: int, **options):
        seed_demo_scoring(seed=seed, stdout=self.stdout)
