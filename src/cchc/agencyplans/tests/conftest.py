import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def pdf():
    return lambda name="ke-hoach.pdf": SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def signed_plan(plan_2023, pdf):
    """STP's plan, filled in and ready for its head to submit."""
    from cchc.agencyplans.services import create_draft, unit_for_year

    item = create_draft(plan_2023, unit_for_year("STP", 2023))
    item.document_number = "15/KH-STP"
    item.issued_on = dt.date(2023, 1, 20)
    item.signed_document.save("ke-hoach.pdf", pdf())
    item.signed_document_name = "ke-hoach.pdf"
    item.save()
    return item


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in English (the msgids); the Vietnamese catalogue is checked separately."""
    settings.LANGUAGE_CODE = "en"
