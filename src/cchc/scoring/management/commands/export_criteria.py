import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.scoring import sets
from cchc.scoring.criteria import KINDS
from cchc.scoring.models import CriteriaSet


class Command(BaseCommand):
    help = "Export a criteria set of the PAR index as YAML or XLSX (to --output, or YAML to standard output)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--kind", choices=KINDS, required=True)
        parser.add_argument("--format", choices=("yaml", "xlsx"), default="yaml")
        parser.add_argument("--output", "-o", help="file to write (required for xlsx)")

    def handle(self, *args, year: int, kind: str, format: str, output: str | None, **options):
        criteria_set = CriteriaSet.objects.filter(year=year, kind=kind).first()
        if criteria_set is None:
            raise CommandError(f"there is no {kind} criteria set for {year}")
        content = sets.export(criteria_set, format)
        if output:
            Path(output).write_bytes(content)
            self.stdout.write(f"Wrote {output}")
        elif format == "xlsx":
            raise CommandError("--output is needed for xlsx")
        else:
            sys.stdout.write(content.decode("utf-8"))
