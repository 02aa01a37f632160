from django.core.management.base import BaseCommand

from cchc.demo.reorganisation import seed_demo_reorganisation


class Command(BaseCommand):
    help = (
        "Demo: Lâm Đồng after the 2025 reorganisation — units and events up to today, the 2026 plan, report periods "
        "and criteria copied through the events, accounts of the new province, synthetic dossiers of 2024–2026."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", required=True, help="password of the demo accounts of the new province")
        parser.add_argument("--dossiers-per-year", type=int, default=20_000)

    def handle(self, *args, password: str, dossiers_per_year: int, **options):
        accounts = seed_demo_reorganisation(self.stdout, password, dossiers_per_year)
        self.stdout.write(f"Accounts of Lâm Đồng after the reorganisation (same password): {accounts}")
