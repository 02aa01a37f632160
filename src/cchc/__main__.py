"""The `cchc` command: Django's manage.py with the project's settings."""

import importlib
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        # Django would swallow a settings error and fail later with a confusing one: say it plainly.
        importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    except ImproperlyConfigured as exc:
        sys.exit(f"cchc: {exc}")
    from django.db.utils import OperationalError, ProgrammingError

    try:
        execute_from_command_line(sys.argv)
    except (OperationalError, ProgrammingError) as exc:
        text = str(exc)
        if "no such table" not in text and "does not exist" not in text:
            raise
        # A newcomer who skipped the set-up gets the next step, not a traceback.
        sys.exit(
            f"cchc: the database is not set up ({text.splitlines()[0]}). Run `cchc migrate` then `cchc load_defaults`."
        )


if __name__ == "__main__":
    main()
