import pytest
from django.utils import translation


@pytest.fixture
def in_english():
    """The test reads the English wording of reasons and file errors (the UI's default language is Vietnamese):
    `pytestmark = pytest.mark.usefixtures("in_english")`."""
    with translation.override("en"):
        yield
