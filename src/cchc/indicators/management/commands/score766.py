import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.indicators.index766 import catalogue_named, newest_catalogue, score_document


class Command(BaseCommand):
    help = "Score given counts with the Decision 766 index (no database): FILE.json or - for stdin."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--catalogue", help="version of the 766 catalogue, e.g. 2023 (default: the newest, 2025 two-level)"
        )

    def handle(self, *args, file: str, catalogue: str | None = None, **options):
        try:
            chosen = catalogue_named(catalogue) if catalogue else newest_catalogue()
        except ValueError as exc:
            raise CommandError(f"--catalogue: {exc}") from None
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8-sig")
            document = json.loads(text)
        except OSError as exc:
            raise CommandError(f"{file}: cannot read the file ({exc})") from None
        except json.JSONDecodeError as exc:
            raise CommandError(f"{file}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
        try:
            result = score_document(document, chosen)
        except ValueError as exc:
            raise CommandError(f"{file}: {exc}") from None
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
