"""Vietnamese is the default language, so every message has a Vietnamese translation, compiled as shipped."""

import gettext
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(PACKAGE.glob("**/locale/vi/LC_MESSAGES/django.po"))


def test_the_project_and_each_app_have_a_vietnamese_catalogue():
    folders = {po.relative_to(PACKAGE).parts[0] for po in CATALOGUES}
    assert {"locale", "accounts", "review", "agencyplans", "progress", "reports", "reminders"} <= folders


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_message_is_translated_and_the_compiled_catalogue_matches(po_path):
    catalogue = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated in {po_path.name}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy (needs checking) in {po_path.name}: {fuzzy[:10]}"
    with open(po_path.with_suffix(".mo"), "rb") as compiled:
        shipped = gettext.GNUTranslations(compiled)
    stale = []
    for entry in catalogue.translated_entries():
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            key = (key, 0)
            expected = entry.msgstr_plural[0]
        else:
            expected = entry.msgstr
        if shipped._catalog.get(key) != expected:
            stale.append(entry.msgid)
    assert not stale, f"{po_path.with_suffix('.mo').name} is older than its .po (run msgfmt): {stale[:10]}"
