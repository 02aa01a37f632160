import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.dossiers.importing import import_dossiers, run_import_command
from cchc.dossiers.readers import BATCH_ROWS
from cchc.dossiers.refresh import refresh_marked


class Command(BaseCommand):
    help = (
        "Import dossier records (CSV, XLSX or JSON: the national sync record, as an array, an object holding "
        "the list, or JSON Lines). Idempotent by MaHoSo. Bad rows are rejected and listed in FILE.errors.csv "
        "(or --errors); a file that cannot be read changes nothing and exits with an error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--errors", help="error report to write (default: FILE.errors.csv, when rows fail)")
        parser.add_argument("--batch-size", type=int, default=BATCH_ROWS, help="rows per batch (memory bound)")
        parser.add_argument(
            "--no-refresh",
            action="store_true",
            help="do not recompute the indicators the import touched now (they stay marked: `cchc recompute_indicators "
            "--pending` or the next worker start does it)",
        )

    def handle(self, *args, file, errors, batch_size, no_refresh, **options):
        if batch_size <= 0:
            raise CommandError("--batch-size must be > 0")
        run_import_command(self, import_dossiers, file, errors, batch_rows=batch_size)
        if no_refresh:
            return
        started = time.perf_counter()
        # Everything marked: this import's pairs and any an earlier, interrupted import left.
        refreshed = refresh_marked()
        years = ", ".join(
            _("%(year)s (%(units)s units)") % {"year": r.year, "units": _("all") if r.units is None else r.units}
            for r in refreshed
            if not getattr(r, "skipped", "")
        )
        for r in refreshed:
            if getattr(r, "skipped", ""):
                self.stderr.write(
                    _("warning: %(year)s not refreshed: %(reason)s")
                    % {"year": r.year, "reason": getattr(r, "skipped", "")}
                )
        self.stdout.write(
            _("Indicators refreshed: %(years)s in %(seconds)s s")
            % {"years": years or _("nothing to do"), "seconds": f"{time.perf_counter() - started:.1f}"}
        )
