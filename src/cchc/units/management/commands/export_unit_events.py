import json

from django.core.management.base import BaseCommand

from cchc.units.exports import installation_province, unit_events


class Command(BaseCommand):
    help = "Print the reorganisation events of a province and its predecessors: [{date, kind, from, to, basis}]"

    def add_arguments(self, parser):
        parser.add_argument("--province", help="statistics-office code (default: CCHC_PROVINCE)")
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args, province, **options):
        rows = unit_events(province or installation_province())
        self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
