from django.core.management.base import BaseCommand

from cchc.dossiers.importing import import_catalogue, run_import_command


class Command(BaseCommand):
    help = (
        "Import the procedure catalogue (TTHC: CSV, XLSX or JSON), keyed by MaTTHC; a procedure's source is "
        "the file's name. Bad rows are rejected and listed in FILE.errors.csv (or --errors); a file that "
        "cannot be read changes nothing and exits with an error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--errors", help="error report to write (default: FILE.errors.csv, when rows fail)")

    def handle(self, *args, file, errors, **options):
        run_import_command(self, import_catalogue, file, errors)
