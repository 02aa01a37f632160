"""Issue 14, "done means": each role's day in a real Chromium. The editor, the head, Sở Nội vụ's reviewer and a leader
each open their start page and see what waits for them (across years: the 2023 items never sent are still there in
2026), and take the main journey — fill → hand to the head → submit → return → resubmit → accept — reading the
notice of each step (in the app and by e-mail), the status words that say what happened and the people, named by
full name and title."""

import pytest
from django.core import mail

from cchc.accounts.models import Membership
from cchc.core.tests.test_browser import ARTIFACTS, log_in
from cchc.reports.models import Report
from cchc.reports.tests.conftest import SECTIONS, periods_2023, q1  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE = {
    "editor-593": ("593", "editor", "Phạm Thị Thu Hà", "Chuyên viên Phòng Nội vụ"),
    "head-593": ("593", "head", "Võ Minh Tuấn", "Chủ tịch UBND thành phố"),
    "administrator-snv": ("SNV", "administrator", "Trần Thị Minh Thư", "Phó Trưởng phòng CCHC"),
    "leader-vpubnd": ("VPUBND", "leader", "Nguyễn Hoài Nam", "Phó Chủ tịch UBND tỉnh"),
}
FIGURES = {
    "legal_docs_issued": "10",
    "legal_docs_reviewed": "12",
    "psu_total": "40",
    "psu_staff": "1500",
    "work_files_online": "72,5",
}


def as_person(page, live_server, username):
    log_in(page, live_server, username, f"{username}-pass-2023")
    page.goto(f"{live_server.url}/")


def waiting_row(page, url):
    return page.locator(f"#waiting tr:has(a[href='{url}'])")


def notices(page, live_server) -> list[tuple[str, str]]:
    page.goto(f"{live_server.url}/reminders/")
    rows = page.locator("#notice-table tbody tr[data-event]").all()
    return [(row.get_attribute("data-event"), row.inner_text()) for row in rows]


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"daily-work-{name}.png"), full_page=True)


def test_each_role_walks_its_start_page_and_the_report_journey(q1, make_account, live_server, page):  # noqa: F811
    # q1: the Q1 2023 period with its internal deadlines 30 days ahead; the 2023 agency plan was due on 31/01/2023.
    for username, (code, role, full_name, title) in PEOPLE.items():
        user = make_account(code, role, email=f"{username}@example.vn")
        Membership.objects.filter(user=user).update(full_name=full_name, title=title)

    # --- the editor: its start page lists what its unit owes, the 2023 plan it never sent included (late) -----------
    as_person(page, live_server, "editor-593")
    assert "Phạm Thị Thu Hà (Chuyên viên Phòng Nội vụ" in page.locator("#waiting header").inner_text()
    plan_row = waiting_row(page, "/agency-plans/2023/593/")
    assert plan_row.get_attribute("data-action") == "due" and "31/01/2023" in plan_row.inner_text()
    assert "trễ" in plan_row.inner_text()
    # The 2023 reports it never sent wait too (a district's year report was due on 17/12/2023).
    assert "17/12/2023" in page.locator("#waiting tr[data-key='report:2023-Y:593']").inner_text()
    dues = page.locator("#waiting tbody tr td:nth-child(5)").all_inner_texts()
    assert dues[0] == "31/01/2023", "the oldest deadline comes first"
    shot(page, "editor-start")

    # Fill: a cross-check that fails does not stop the draft from being saved; it stops the hand-over.
    page.goto(f"{live_server.url}/reports/?year=2023")
    with page.expect_navigation():
        page.locator("tr[data-period=Q1] button.open-report").click()
    report = Report.objects.get(unit__code="593", period=q1)
    url = f"/reports/{report.pk}/"
    for name, text in SECTIONS.items():
        page.fill(f"#id_{name}", text)
    for code, value in {**FIGURES, "inspections_total": "10", "inspections_digital": "12"}.items():
        page.fill(f"#id_fig-{code}", value)
    with page.expect_navigation():
        page.click("#save-report")
    assert "không được lớn hơn" in page.locator("#report-checks").inner_text()
    assert page.locator("#report-status").inner_text().startswith("Dự thảo")
    with page.expect_navigation():
        page.click("#send-report")
    assert "chưa trình lãnh đạo" in page.locator("main").inner_text()
    assert Report.objects.get(pk=report.pk).prepared_at is None
    page.fill("#id_fig-inspections_digital", "8")
    with page.expect_navigation():
        page.click("#send-report")
    # Handed over: the status says so, not "draft".
    assert page.locator("#report-status [data-status=handed]").inner_text() == "Chờ lãnh đạo ký"

    # --- the head: the report waits for its signature; the notice names the editor ----------------------------------
    as_person(page, live_server, "head-593")
    row = waiting_row(page, url)
    assert row.get_attribute("data-action") == "sign" and "Ký và gửi" in row.inner_text()
    assert "Chờ lãnh đạo ký" in row.inner_text()
    shot(page, "head-start")
    [(event, text)] = notices(page, live_server)
    assert event == "step_hand" and "Phạm Thị Thu Hà (Chuyên viên Phòng Nội vụ" in text
    assert [m.to for m in mail.outbox] == [["head-593@example.vn"]]
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        waiting_row(page, url).locator("a").click()
    with page.expect_navigation():
        page.click("#submit-report")
    assert page.locator("#report-status [data-status=submitted]").inner_text() == "Đã gửi"

    # --- the reviewer: the report waits for review; it returns it with a comment and keeps seeing it ---------------
    as_person(page, live_server, "administrator-snv")
    row = waiting_row(page, url)
    assert row.get_attribute("data-action") == "review" and "Thẩm định" in row.inner_text()
    shot(page, "reviewer-start")
    assert [e for e, _text in notices(page, live_server)] == ["step_submit"]
    assert "Võ Minh Tuấn (Chủ tịch UBND thành phố" in notices(page, live_server)[0][1]
    page.goto(f"{live_server.url}{url}")
    page.fill("#id_comment", "Đề nghị bổ sung số liệu đơn vị sự nghiệp.")
    with page.expect_navigation():
        page.click("#return-report")
    assert page.url == f"{live_server.url}{url}", "the returned report stays visible to its reviewer"
    assert page.locator("#report-status [data-status=returned]").inner_text() == "Trả lại để chỉnh sửa"
    page.goto(f"{live_server.url}/")
    row = waiting_row(page, url)
    assert row.get_attribute("data-action") == "follow" and "chờ đơn vị chỉnh sửa" in row.inner_text()
    page.goto(f"{live_server.url}/reports/?year=2023")
    cell = page.locator("#matrix tr[data-unit='593'] [data-status]").first
    assert cell.get_attribute("data-status") == "returned", "not 'not submitted, late'"

    # --- the editor again: the returned report, with the comment, comes first among what to correct ----------------
    as_person(page, live_server, "editor-593")
    row = waiting_row(page, url)
    assert row.get_attribute("data-action") == "correct"
    assert "bổ sung số liệu đơn vị sự nghiệp" in row.inner_text()
    returned = [text for event, text in notices(page, live_server) if event == "step_return"]
    assert len(returned) == 1 and "Trần Thị Minh Thư (Phó Trưởng phòng CCHC" in returned[0]
    assert "bổ sung số liệu đơn vị sự nghiệp" in returned[0]
    page.goto(f"{live_server.url}{url}")
    page.fill("#id_fig-psu_autonomy_partial", "20")
    with page.expect_navigation():
        page.click("#send-report")
    assert page.locator("#report-status [data-status=handed]").count() == 1

    # --- the head resubmits; the reviewer accepts --------------------------------------------------------------------
    as_person(page, live_server, "head-593")
    assert waiting_row(page, url).get_attribute("data-action") == "sign"
    page.goto(f"{live_server.url}{url}")
    with page.expect_navigation():
        page.click("#submit-report")
    as_person(page, live_server, "administrator-snv")
    assert waiting_row(page, url).get_attribute("data-action") == "review"
    page.goto(f"{live_server.url}{url}")
    with page.expect_navigation():
        page.click("#accept-report")
    assert page.locator("#report-status [data-status=accepted]").inner_text() == "Đã chấp nhận"
    page.goto(f"{live_server.url}/")
    assert waiting_row(page, url).count() == 0, "nothing left to do about it"

    # --- the editor hears of the acceptance; nothing about the report waits any more --------------------------------
    as_person(page, live_server, "editor-593")
    assert waiting_row(page, url).count() == 0
    assert [e for e, _t in notices(page, live_server)] == ["step_accept", "step_return"]  # newest first

    # --- the leader: nothing waits; the accepted report reads with its people and its steps -------------------------
    as_person(page, live_server, "leader-vpubnd")
    assert page.locator("#nothing-waiting").count() == 1
    shot(page, "leader-start")
    page.goto(f"{live_server.url}{url}")
    assert page.locator("#report-status").inner_text().startswith("Đã chấp nhận")
    assert page.locator("form#review-form, #save-report, #submit-report").count() == 0
    timeline = [
        (row.get_attribute("data-action"), row.locator("td.actor").inner_text())
        for row in page.locator("#timeline tbody tr").all()
    ]
    assert [action for action, _who in timeline] == ["hand", "submit", "return", "hand", "submit", "accept"]
    assert timeline[0][1] == "Phạm Thị Thu Hà (Chuyên viên Phòng Nội vụ)"
    assert timeline[2][1] == "Trần Thị Minh Thư (Phó Trưởng phòng CCHC)"
    assert "Trình lãnh đạo" in page.locator("#timeline").inner_text()
    shot(page, "leader-report")

    # Every e-mail went once, to the person the step concerned.
    sent = sorted((m.to[0], m.subject.split(":")[0]) for m in mail.outbox)
    assert sent.count(("head-593@example.vn", "[CCHC] Trình ký và gửi")) == 2
    assert sent.count(("administrator-snv@example.vn", "[CCHC] Gửi thẩm định")) == 2
    assert ("editor-593@example.vn", "[CCHC] Trả lại để chỉnh sửa") in sent
    assert ("editor-593@example.vn", "[CCHC] Đã chấp nhận") in sent
    assert not any(to == "leader-vpubnd@example.vn" for to, _s in sent)
