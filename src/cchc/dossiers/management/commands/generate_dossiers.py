import sys
import time

from django.core.management.base import BaseCommand, CommandError

from cchc.dossiers import synthetic


class Command(BaseCommand):
    help = (
        "Write a reproducible synthetic year of dossiers for Bình Thuận's 2023 units, and a synthetic "
        "procedure catalogue (codes SYN.*, names '[Mô phỏng] …'). Needs no database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=2023)
        parser.add_argument("--count", type=int, required=True, help="number of dossiers")
        parser.add_argument("--seed", type=int, default=1, help="same seed, year and count → identical files")
        parser.add_argument("--out", required=True, help="dossier CSV file")
        parser.add_argument(
            "--catalogue-out", help="procedure catalogue CSV (default: OUT with '-catalogue.csv' for its suffix)"
        )
        parser.add_argument("--format", choices=["csv"], default="csv")
        parser.add_argument("--chunk-size", type=int, default=200_000, help="rows per write (memory bound)")

    def handle(self, *args, year, count, seed, out, catalogue_out, format, chunk_size, **options):
        if count < 0:
            raise CommandError("--count must be ≥ 0")
        if chunk_size <= 0:
            raise CommandError("--chunk-size must be > 0")
        if seed < 0:
            raise CommandError("--seed must be ≥ 0")
        catalogue_out = catalogue_out or synthetic.catalogue_path_for(out)
        if catalogue_out == out:
            raise CommandError("--catalogue-out must differ from --out")
        started = time.monotonic()
        catalogue = synthetic.generate_catalogue(seed)
        try:
            catalogue.write_csv(catalogue_out)
            frames = synthetic.generate_dossiers(year, count, seed, catalogue, chunk_size=chunk_size)
            written = synthetic.write_csv(
                frames,
                out,
                columns=synthetic.DOSSIER_COLUMNS,
                progress=lambda rows: sys.stderr.write(f"  {rows:,} / {count:,} dossiers\n"),
            )
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{written:,} dossiers → {out}\n{catalogue.height} procedures → {catalogue_out}\n"
            f"({time.monotonic() - started:.1f} s)"
        )
