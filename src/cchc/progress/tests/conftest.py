import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in English (the msgids)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def pdf():
    return lambda name="bien-ban.pdf", content=PDF: SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def stp_task(plan_2023):
    """A task carried out by STP (Sở Tư pháp) and every department and district."""
    return plan_2023.tasks.filter(agencies__code="STP").filter(agencies__code="593").order_by("order").first()
