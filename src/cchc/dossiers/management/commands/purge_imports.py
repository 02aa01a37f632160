from django.core.management.base import BaseCommand

from cchc.dossiers.retention import purge_old_imports


class Command(BaseCommand):
    help = "Remove uploaded import files older than CCHC_IMPORT_KEEP_DAYS days (or --days); also done at each import."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=float, default=None)

    def handle(self, *args, days=None, **options):
        removed = purge_old_imports(days)
        self.stdout.write(f"{len(removed)} import folder(s) removed")
