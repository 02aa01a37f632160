import sys
import time

from django.core.management.base import BaseCommand, CommandError

from cchc.indicators.compute import recompute_locked, refresh_pending


class Command(BaseCommand):
    help = (
        "Recompute every metric for every unit and period (year, halves, quarters, months) of a year; with --pending, "
        "only what imports marked for refresh and did not finish (e.g. after a crash)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int)
        parser.add_argument("--pending", action="store_true", help="finish the refreshes that imports left marked")

    def handle(self, *args, year: int | None, pending: bool, **options):
        if pending:
            results = refresh_pending()
            for r in results:
                if r.skipped:
                    self.stdout.write(f"{r.year}: skipped ({r.skipped})")
                else:
                    how = "by delta" if r.delta else "recomputed"
                    units = "all" if r.units is None else r.units
                    self.stdout.write(f"{r.year}: {units} units refreshed ({how}) → {r.values} values")
            self.stdout.write(f"{len(results)} year(s) refreshed" if results else "nothing pending")
            if year is None:
                return
        if year is None:
            raise CommandError("give --year YEAR or --pending")
        if not 2000 <= year <= 2100:
            raise CommandError(f"--year: {year} is not a plausible year")
        start = time.perf_counter()

        def progress(done: int, total: int, message: str) -> None:
            sys.stderr.write(f"\r[{done}/{total}] {message:<30}")
            sys.stderr.flush()

        result = recompute_locked(year, progress=progress)
        sys.stderr.write("\n")
        self.stdout.write(
            f"{year}: {result.dossiers} dossiers → {result.values} values in {time.perf_counter() - start:.2f} s "
            f"({', '.join(f'{k} {v:.2f} s' for k, v in result.seconds.items())})"
        )
