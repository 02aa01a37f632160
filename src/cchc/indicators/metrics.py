"""How the plan's area-2 targets and the 766 sub-indicators read the stored engine metrics."""

from cchc.units.models import UnitKind

# plan target code → engine metric; 2.5a/2.5b have two measures (survey, Decision 766), shown both.
TARGET_METRICS: dict[str, str] = {
    "2.1": "ROUTED_ELECTRONICALLY",
    "2.2a": "FEE_PROCEDURES_ONLINE_PAYMENT",
    "2.2b": "PAYMENT_DOSSIER_ONLINE",
    "2.3": "RESULT_DIGITISED",
    "2.4a": "ONLINE_SERVICE_PROVIDED",
    "2.4b": "ONLINE_SERVICE_INTEGRATED",
    "2.4c": "ONLINE_SUBMISSION",
    "2.5a": "SATISFACTION_SURVEY",
    "2.5b": "LAND_SATISFACTION_SURVEY",
    # Re-submission avoided, measured by dossiers reusing digitised data (only the JSON sync record says).
    "2.7": "REUSED_DIGITIZED_DATA",
}
SECOND_MEASURE: dict[str, str] = {
    "2.5a": "DOSSIER_RECEIVING_SATISFACTION",
    "2.5b": "LAND_RECEIVING_SATISFACTION",
}

# A unit's level in the 766 index: the province and its departments are scored as "province".
LEVEL_766 = {
    UnitKind.PROVINCE: "province",
    UnitKind.DEPARTMENT: "province",
    UnitKind.DISTRICT: "district",
    UnitKind.COMMUNE: "commune",
}


def ratio(numerator: int | None, denominator: int | None) -> float | None:
    """Percent, or None when there is nothing to divide by (shown as "no data")."""
    if numerator is None or not denominator:
        return None
    return 100 * numerator / denominator
