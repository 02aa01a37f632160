import pytest


@pytest.fixture
def units_2026(load_units_2026):
    """The 2023 units and every event up to 1/1/2026, as `cchc load_units --as-of 2026-01-01` loads them (its
    output is returned; the command runs once per session from an empty database, then is replayed: see `Replay`)."""
    return load_units_2026()
