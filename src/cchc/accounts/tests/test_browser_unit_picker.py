"""In a real browser: the unit picker of the account form narrows its grouped list as the administrator types."""

import pytest

from cchc.core.tests.test_browser import log_in
from cchc.units.models import Unit
from cchc.units.picker import grouped


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_typing_in_the_unit_search_narrows_the_list(plan_2023, make_account, live_server, page):
    make_account("SNV", "administrator", username="snv.quantri")
    log_in(page, live_server, "snv.quantri", "snv.quantri-pass-2023")
    page.goto(f"{live_server.url}/accounts/new/")
    search = page.locator("input.unit-picker-search")
    assert search.count() == 1
    total = page.locator("#id_unit option").count()
    search.fill("phan thiet")  # without accents: finds "Phan Thiết" and the units grouped under it
    visible = page.eval_on_selector_all(
        "#id_unit option", "os => os.filter(o => !o.hidden && o.value).map(o => o.textContent)"
    )
    assert visible and len(visible) < total
    # exactly the units whose name, or whose parent's group, says Phan Thiết
    expected = [
        name
        for label, choices in grouped(Unit.objects.current())
        for _pk, name in choices
        if "phan thiet" in _fold(f"{name} {label}")
    ]
    assert sorted(visible) == sorted(expected) and "Thành phố Phan Thiết" in visible
    selected = page.eval_on_selector("#id_unit", "s => s.options[s.selectedIndex].textContent")
    assert selected in visible
    hidden_groups = page.eval_on_selector_all("#id_unit optgroup", "gs => gs.filter(g => g.hidden).length")
    assert hidden_groups > 0
    search.fill("")
    assert page.eval_on_selector_all("#id_unit option", "os => os.filter(o => o.hidden).length") == 0


def _fold(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in text if not unicodedata.combining(c)).lower()
