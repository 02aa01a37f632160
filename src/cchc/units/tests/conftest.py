from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def units_2026(db):
    """The 2023 units and every event up to 1/1/2026, as `cchc load_units --as-of 2026-01-01` loads them."""
    out = StringIO()
    call_command("load_units", "--as-of", "2026-01-01", stdout=out)
    return out.getvalue()
