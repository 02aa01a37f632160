from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from cchc.accounts.provisioning import COLUMNS, provision


class Command(BaseCommand):
    help = (
        f"Create or update accounts from a CSV with the columns {', '.join(COLUMNS)} "
        "(roles: administrator, monitor, editor, head, district_officer, leader). All or nothing; idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    @no_translations  # the command's messages stay in English, as its users and scripts read them
    def handle(self, *args, file: Path, **options):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: cannot read it as UTF-8 text ({exc})") from None
        result = provision(text)
        if result.errors:
            for error in result.errors:
                self.stderr.write(f"{file}: {error}")
            raise CommandError(f"{len(result.errors)} error(s); nothing was written")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.created)} created, {len(result.updated)} updated, {len(result.unchanged)} unchanged"
            )
        )
