import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_in_vietnamese_by_default(client, plan_2023, make_account, settings):
    settings.LANGUAGE_CODE = "vi"
    client.force_login(make_account("SNV", "administrator"))
    html = client.get("/agency-plans/2023/").content.decode()
    assert "Kế hoạch CCHC năm 2023 của các cơ quan, đơn vị" in html
    assert "Chưa gửi" in html
    client.force_login(make_account("STP", "editor"))
    html = client.get("/agency-plans/2023/STP/").content.decode()
    assert "Gửi Sở Nội vụ" not in html  # only the head submits
    assert "Bộ phận chủ trì" in html
