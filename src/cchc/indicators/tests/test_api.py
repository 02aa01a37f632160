from cchc.conftest import grant_role
from cchc.indicators.models import EnteredValue


def test_indicators_endpoint_returns_the_command_document(plan_2023, officer_client):
    data = officer_client.get("/api/indicators/", {"unit": "593", "period": "2023Q1"}).json()
    assert data["unit"] == "593" and data["period"] == "2023Q1"
    assert data["targets"]["2.1"]["denominator"] == 0 and data["targets"]["2.1"]["ratio"] is None
    assert officer_client.get("/api/indicators/", {"unit": "593", "period": "Q1"}).status_code == 400
    assert officer_client.get("/api/indicators/", {"unit": "99999", "period": "2023"}).status_code == 404


def test_entering_a_766_value_needs_permission(plan_2023, officer, officer_client):
    body = {"unit": "593", "period": "2023", "metric": "PUBLISH_ON_TIME", "numerator": 9, "denominator": 10}
    assert officer_client.post("/api/entered-values/", body, content_type="application/json").status_code == 403
    grant_role(officer, "administrator")  # roles decide (issue 13), not a hand-granted Django permission
    response = officer_client.post("/api/entered-values/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert EnteredValue.objects.get().entered_by == officer


def test_a_computed_sub_indicator_cannot_be_entered(plan_2023, officer, officer_client):
    grant_role(officer, "administrator")
    body = {"unit": "593", "period": "2023", "metric": "PROCESSING_ON_TIME", "numerator": 1, "denominator": 1}
    response = officer_client.post("/api/entered-values/", body, content_type="application/json")
    assert response.status_code == 400 and "metric" in response.json()
    body = {"unit": "593", "period": "2023", "metric": "PUBLISH_ON_TIME", "numerator": 5, "denominator": 2}
    assert "numerator" in officer_client.post("/api/entered-values/", body, content_type="application/json").json()
