from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.scoring.surveys import SurveyImportError, import_results


class Command(BaseCommand):
    help = (
        "Import survey results of the PAR index (XLSX or CSV with columns unit, criterion, value) for a year: "
        "every row is checked and the file is imported whole or not at all; importing it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, file: str, year: int, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            counts = import_results(year, path.read_bytes(), path.name)
        except SurveyImportError as error:
            raise CommandError(f"{path.name} was not imported:\n" + "\n".join(error.errors)) from None
        self.stdout.write(
            f"{path.name}: {counts['rows']} rows; {counts['created']} new, {counts['updated']} changed, "
            f"{counts['unchanged']} unchanged"
        )
