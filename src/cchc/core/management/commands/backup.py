from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files into one archive (default: CCHC_DATA_DIR/backups/"
        "cchc-YYYYMMDD-HHMMSS.tar), consistent while the site runs. PostgreSQL needs pg_dump (postgresql-client)."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="archive to write")

    def handle(self, *args, output, **options):
        try:
            path, manifest = backup(Path(output) if output else None)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        media = manifest["media"]
        self.stdout.write(
            f"{path}: {manifest['database']['vendor']} database, {media['files']} files ({media['bytes']:,} bytes)"
        )
