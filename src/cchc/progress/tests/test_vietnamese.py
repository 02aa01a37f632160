import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_in_vietnamese_by_default(client, stp_task, make_account, settings):
    settings.LANGUAGE_CODE = "vi"
    client.force_login(make_account("STP", "editor"))
    html = client.get("/progress/").content.decode()
    assert "Nhiệm vụ năm 2023 của Sở Tư pháp" in html
    html = client.get(f"/progress/2023/{stp_task.code}/STP/").content.decode()
    assert "Thêm tài liệu kiểm chứng" in html
    response = client.post(f"/progress/2023/{stp_task.code}/STP/", {"status": "done"})
    assert "Nhiệm vụ đã hoàn thành phải có ngày hoàn thành." in response.content.decode()
