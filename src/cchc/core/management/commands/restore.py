from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a `cchc backup` archive: replaces the whole database and the uploaded files. Stop `cchc serve` and "
        "`cchc worker` first. PostgreSQL needs pg_restore (postgresql-client); a failed restore changes nothing in "
        "the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, archive, yes, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"{archive}: no such file")
        if not yes:
            answer = input("This replaces the whole database and every uploaded file. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("not restored")
        try:
            manifest = restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"restored {manifest['database']['vendor']} database and {manifest['media']['files']} files "
            f"from the backup of {manifest['created_at']}"
        )
