from django.core.management.base import BaseCommand, CommandError

from cchc.scoring import sets
from cchc.scoring.criteria import CriteriaError
from cchc.scoring.workflow import ScoringError


class Command(BaseCommand):
    help = (
        "Import a criteria set of the PAR index from YAML or XLSX (validated first: sums of maxima, unique codes, "
        "methods, mappings). A set of the same year and kind is replaced only with --replace, and never once in use."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--replace", action="store_true", help="replace the set of the same year and kind")

    def handle(self, *args, file: str, replace: bool, **options):
        try:
            spec = sets.read_file(file)
            criteria_set = sets.load(spec, replace=replace)
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file") from None
        except CriteriaError as error:
            raise CommandError(f"{file} is not a valid criteria set:\n" + "\n".join(error.errors)) from None
        except ScoringError as error:
            raise CommandError(str(error)) from None
        leaves = criteria_set.criteria.filter(is_leaf=True).count()
        self.stdout.write(
            f"Imported {criteria_set} ({criteria_set.kind}, {criteria_set.status}): {leaves} sub-criteria"
        )
