"""The entries' API: scoped like the pages, checked by the same rules, moved on by the same workflow."""

from django.core.files.base import ContentFile

from cchc.demo.pdf import tiny_pdf
from cchc.targets.models import EntryEvidence, TargetEntry


def test_open_write_submit_and_accept_through_the_api(plan_2023, client, make_account):
    editor, head = make_account("VPUBND", "editor"), make_account("VPUBND", "head")
    admin, other = make_account("SNV", "administrator"), make_account("STP", "editor")
    client.force_login(editor)
    response = client.post(
        "/api/target-entries/open/",
        {"year": 2023, "target_code": "2.6", "period_kind": "Y"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    pk = response.json()["id"]
    url = f"/api/target-entries/{pk}/"
    bad = client.patch(url, {"numerator": 130, "denominator": 121}, content_type="application/json")
    assert bad.status_code == 400 and "numerator" in bad.json()
    good = client.patch(url, {"numerator": 112, "denominator": 121}, content_type="application/json")
    assert good.status_code == 200 and round(good.json()["value"], 2) == 92.56

    client.force_login(other)
    assert client.get(url).status_code == 404  # another unit's draft
    assert (
        client.post(
            "/api/target-entries/open/",
            {"year": 2023, "target_code": "2.6", "period_kind": "Y"},
            content_type="application/json",
        ).status_code
        == 403
    )

    entry = TargetEntry.objects.get(pk=pk)
    EntryEvidence(entry=entry).attach(ContentFile(tiny_pdf(["QD cong bo"]), name="qd.pdf"), "pdf", editor)
    client.force_login(head)
    assert client.post(f"{url}submit/").json()["status"] == "submitted"
    client.force_login(admin)
    assert client.post(f"{url}return/", {"comment": ""}, content_type="application/json").status_code == 409
    assert client.post(f"{url}accept/").json()["status"] == "accepted"
    listed = client.get("/api/target-entries/", {"target__code": "2.6"}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["id"] for r in rows] == [pk]
