import sys
import time

from django.core.management.base import BaseCommand, CommandError

from cchc.indicators.compute import recompute


class Command(BaseCommand):
    help = "Recompute every metric for every unit and period (year, halves, quarters, months) of a year."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, year: int, **options):
        if not 2000 <= year <= 2100:
            raise CommandError(f"--year: {year} is not a plausible year")
        start = time.perf_counter()

        def progress(done: int, total: int, message: str) -> None:
            sys.stderr.write(f"\r[{done}/{total}] {message:<30}")
            sys.stderr.flush()

        result = recompute(year, progress=progress)
        sys.stderr.write("\n")
        self.stdout.write(
            f"{year}: {result.dossiers} dossiers → {result.values} values in {time.perf_counter() - start:.2f} s "
            f"({', '.join(f'{k} {v:.2f} s' for k, v in result.seconds.items())})"
        )
