from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cchc.indicators.entered_file import UnreadableFile, parse
from cchc.indicators.models import EnteredValue
from cchc.indicators.queries import unit_for_period
from cchc.units.models import Unit


class Command(BaseCommand):
    help = "Import entered 766 sub-indicators (CSV or XLSX: DonVi, KyBaoCao, MaChiSo, TuSo, MauSo, TyLe, Nguon)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            parsed = parse(file, set(Unit.objects.values_list("code", flat=True)))
        except UnreadableFile as exc:
            raise CommandError(f"{file}: {exc}; nothing was imported") from None
        resolved = []
        for row in parsed.rows:
            try:
                resolved.append((row, unit_for_period(row.unit, row.period)))
            except Unit.DoesNotExist:
                parsed.errors.append((row.line, "DonVi", row.unit, f"the unit did not exist in {row.period}"))
        for line, field, value, reason in sorted(parsed.errors):
            self.stderr.write(f"{file}: line {line}, {field} = {value!r}: {reason}")
        with transaction.atomic():
            for row, unit in resolved:
                EnteredValue.objects.update_or_create(
                    unit=unit,
                    period=row.period,
                    metric=row.metric,
                    defaults={
                        "numerator": row.numerator,
                        "denominator": row.denominator,
                        "ratio": row.ratio,
                        "source": row.source or file.name,
                    },
                )
        self.stdout.write(f"{len(resolved)} value(s) imported, {len(parsed.errors)} error(s)")
