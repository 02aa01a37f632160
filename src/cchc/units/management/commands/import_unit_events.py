from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cchc.units.events import EventFileError, add_events, read_event_file


class Command(BaseCommand):
    help = (
        "Add reorganisation events from a YAML file (format cchc-unit-events 1: date, kind, basis, from, to); "
        "all or nothing, every problem named by event and field; idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", help="username recorded as the author (audit log)")

    def handle(self, *args, file, user, **options):
        author = None
        if user:
            author = get_user_model().objects.filter(username=user).first()
            if author is None:
                raise CommandError(f"--user: no account {user}")
        try:
            text = file.read_text("utf-8")
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        try:
            stats = add_events(read_event_file(text), user=author)
        except EventFileError as error:
            raise CommandError(f"{file}: nothing was written\n" + "\n".join(error.problems)) from None
        self.stdout.write(
            f"{stats['events_created']} event(s) recorded, {stats['events_present']} already present; "
            f"units: {stats['units_opened']} opened, {stats['units_closed']} closed"
        )
