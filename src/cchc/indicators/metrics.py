"""How the plan's area-2 targets and the 766 sub-indicators read the stored engine metrics."""

from cchc.units.models import UnitKind

# plan target code → engine metric; 2.5a/2.5b have two measures (survey, Decision 766), shown both.
TARGET_METRICS: dict[str, str] = {
    "2.1": "ROUTED_ELECTRONICALLY",
    "2.2a": "FEE_PROCEDURES_ONLINE_PAYMENT",
    # "Among those": dossiers of procedures that offer online payment (the 766 metric keeps them all).
    "2.2b": "PAYMENT_DOSSIER_ONLINE_OFFERED",
    # A stock: still-valid results (whenever issued) that are digitised, not the period's new e-results.
    "2.3": "RESULTS_VALID_DIGITISED",
    # Only procedures eligible for online service (the 766 metric counts every external procedure).
    "2.4a": "ONLINE_SERVICE_ELIGIBLE_PROVIDED",
    "2.4b": "ONLINE_SERVICE_INTEGRATED",
    "2.4c": "ONLINE_SUBMISSION",
    "2.5a": "SATISFACTION_SURVEY",
    "2.5b": "LAND_SATISFACTION_SURVEY",
    # Re-submission avoided: dossiers reusing digitised data (DuocTaiSuDung: CSV, XLSX or the JSON sync record).
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
