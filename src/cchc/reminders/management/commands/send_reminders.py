import datetime as dt
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from cchc.core import clock
from cchc.reminders import services


def parse_time(value: str) -> dt.time:
    try:
        return dt.time.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--at: expected a time HH:MM, got {value!r}") from exc


def seconds_until(at: dt.time, now: dt.datetime) -> float:
    """Seconds from `now` (aware, local) to the next `at` o'clock, today or tomorrow."""
    target = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if target <= now:
        target += dt.timedelta(days=1)
    return (target - now).total_seconds()


class Command(BaseCommand):
    help = (
        "Send the deadline reminders: an in-app notice and one e-mail per person and reminder (due in 7 days, due "
        "tomorrow or today, overdue). Each reminder is sent once however often the command runs, so run it daily "
        "from cron or a systemd timer, e.g. `0 7 * * * cchc send_reminders` (07:00). E-mails that fail are retried "
        "on the next run. Without cron, `cchc send_reminders --loop` stays in the foreground and runs once a day. "
        "It needs no server other than the database and the mail server (EMAIL_HOST; without it the e-mails are "
        "written to the console)."
    )

    sleep = staticmethod(time.sleep)  # replaced in tests

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to remind for, YYYY-MM-DD (default: today in the site's zone)")
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would be created and sent; write and send nothing"
        )
        parser.add_argument("--loop", action="store_true", help="run now, then every day at --at, until stopped")
        parser.add_argument("--at", default="07:00", help="time of the daily run with --loop (default 07:00)")

    def handle(self, *args, date=None, dry_run=False, loop=False, at="07:00", **options):
        if loop and date:
            raise CommandError("--loop runs for each new day: it cannot be combined with --date")
        on = None
        if date:
            try:
                on = dt.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"--date: expected YYYY-MM-DD, got {date!r}") from exc
        if not loop:
            self.run_once(on or clock.today(), dry_run)
            return
        daily_at = parse_time(at)
        try:
            while True:
                try:
                    self.run_once(clock.today(), dry_run)
                except Exception as exc:  # keep the loop alive: the next day's run retries whatever failed
                    self.stderr.write(f"reminder run failed: {exc!r}")
                wait = seconds_until(daily_at, timezone.localtime())
                self.stdout.write(f"next run at {daily_at:%H:%M}, in {wait / 3600:.1f} h")
                self.sleep(wait)
        except KeyboardInterrupt:
            self.stdout.write("stopped")

    def run_once(self, on: dt.date, dry_run: bool) -> services.RunSummary:
        self.stdout.write(f"Reminders for {on:%d/%m/%Y}{' (dry run)' if dry_run else ''}")
        with translation.override(settings.LANGUAGE_CODE):
            summary = services.run(on, dry_run=dry_run, progress=self.stdout.write)
        sent = "would be e-mailed" if dry_run else "e-mails sent"
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.items} obligations ({summary.open_items} not done), {summary.events} reminders due; "
                f"notices created: {summary.notices_created}; skipped as already notified: "
                f"{summary.already_notified}; {sent}: {summary.emails_sent}; e-mails failed: {summary.emails_failed}"
                + (f"; deferred: {summary.emails_deferred}" if summary.emails_deferred else "")
                + (
                    f"; obligations without any account to remind: {summary.no_recipient}"
                    if summary.no_recipient
                    else ""
                )
            )
        )
        return summary
