import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.indicators.index766 import score_document


class Command(BaseCommand):
    help = "Score given counts with the Decision 766 index (no database): FILE.json or - for stdin."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8-sig")
            document = json.loads(text)
        except OSError as exc:
            raise CommandError(f"{file}: cannot read the file ({exc})") from None
        except json.JSONDecodeError as exc:
            raise CommandError(f"{file}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
        try:
            result = score_document(document)
        except ValueError as exc:
            raise CommandError(f"{file}: {exc}") from None
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
