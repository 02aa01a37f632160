"""The procedure catalogue (TTHC) and the one-stop system's dossier records (tthc-dossiers.md §1–2).

Field names are English; the import columns (MaTTHC, MaHoSo, …) are mapped in `columns.py`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.restriction import SUBTREE, RestrictedManager, RoleOnly, Shared, UnitOwned


class Procedure(models.Model):
    access_rule = Shared()

    class OnlineLevel(models.TextChoices):
        NONE = "", _("Not online")
        PARTIAL = "mot_phan", _("Partial online service")
        FULL = "toan_trinh", _("Full online service")

    class TimeUnit(models.TextChoices):
        NONE = "", _("No time limit")
        HOURS = "gio", _("hours")
        DAYS = "ngay", _("calendar days")
        WORKING_DAYS = "ngay_lam_viec", _("working days")
        MONTHS = "thang", _("months")

    code = models.CharField(_("procedure code"), max_length=40, unique=True)  # MaTTHC
    name = models.TextField(_("name"))
    sector_code = models.CharField(_("sector code"), max_length=40, blank=True)
    sector_name = models.CharField(_("sector"), max_length=200, blank=True)
    at_province = models.BooleanField(_("provincial level"), default=False)
    at_district = models.BooleanField(_("district level"), default=False)
    at_commune = models.BooleanField(_("commune level"), default=False)
    online_level = models.CharField(_("online service"), max_length=12, choices=OnlineLevel.choices, blank=True)
    eligible_full_online = models.BooleanField(_("eligible for full online service"), default=False)
    # Target 2.4a counts only procedures eligible for online service (the province's approved list); a
    # procedure not marked otherwise is eligible.
    eligible_online = models.BooleanField(_("eligible for online service"), default=True)
    # The owning agency ("cơ quan thực hiện"): a department's catalogue figures count its own procedures.
    owner = models.ForeignKey(
        "units.Unit",
        verbose_name=_("owning agency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_procedures",
    )
    integrated_dvcqg = models.BooleanField(_("integrated on the National Public Service Portal"), default=False)
    has_fee = models.BooleanField(_("has a fee or financial obligation"), default=False)
    online_payment = models.BooleanField(_("online payment deployed"), default=False)
    paper_result = models.BooleanField(_("result is a paper document"), default=False)
    time_limit = models.FloatField(_("time limit"), null=True, blank=True)
    time_unit = models.CharField(_("unit of the time limit"), max_length=14, choices=TimeUnit.choices, blank=True)
    internal = models.BooleanField(_("internal procedure"), default=False)
    source = models.CharField(_("source"), max_length=200, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_land(self) -> bool:
        return self.sector_name.strip().lower() == "đất đai"


class Dossier(models.Model):
    """One dossier as last imported (a later record with the same code replaces the earlier state)."""

    access_rule = UnitOwned("unit", reach=SUBTREE)
    # Pages read dossiers through the stored figures (whose refresh moves the version) or their own cache keyed on
    # the computation: an import's rows alone do not (cchc.core.dataversion).
    moves_data_version = False

    class Channel(models.IntegerChoices):
        COUNTER = 1, _("At the counter")
        ONLINE = 2, _("Online")
        POST = 3, _("Public postal service")

    class Status(models.IntegerChoices):
        SUBMITTED = 1, _("Submitted online, not yet accepted")
        ACCEPTED = 2, _("Accepted")
        REFUSED = 3, _("Refused at intake")
        IN_PROGRESS = 4, _("In progress")
        SUPPLEMENT = 5, _("Supplement requested")
        FINANCIAL = 6, _("Waiting for financial obligation")
        WITHDRAWN = 7, _("Withdrawn by applicant")
        STOPPED = 8, _("Processing stopped")
        FINISHED = 9, _("Processing finished")
        RETURNED = 10, _("Result returned")

    class Rating(models.IntegerChoices):
        VERY_SATISFIED = 1, _("Very satisfied")
        SATISFIED = 2, _("Satisfied")
        DISSATISFIED = 3, _("Dissatisfied")

    # Unique through `Meta.constraints`, not `unique=True`: on PostgreSQL Django gives a unique CharField a second
    # index (varchar_pattern_ops, for LIKE) that no query uses and that cost the import 1.2 µs of server CPU a row.
    code = models.CharField(_("dossier code"), max_length=60)  # MaHoSo
    # The two keys are not declared to the database (`db_constraint=False`): the foreign-key triggers were half of
    # PostgreSQL's work in an import (7 of 15 µs of server CPU a row) and 7% of SQLite's. Integrity is kept by the
    # one writer of dossiers, the import, which rejects a row whose MaTTHC or DonViXuLy is not in the tables (with
    # its line and field) and, on PostgreSQL, holds a KEY SHARE lock on every procedure and unit row until it
    # commits, as the triggers would have; deleting a procedure or a unit goes through Django, whose PROTECT
    # refuses while a dossier refers to it.
    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, db_constraint=False)
    # No index of its own: the (unit, accepted_at) index serves lookups by unit, and every index costs
    # the import (1.3 s per million rows on SQLite).
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("handling unit"),
        on_delete=models.PROTECT,
        db_index=False,
        db_constraint=False,
    )
    channel = models.PositiveSmallIntegerField(_("channel"), choices=Channel.choices, default=Channel.COUNTER)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    due_at = models.DateTimeField(_("appointment date"), null=True, blank=True)
    finished_at = models.DateTimeField(_("processing finished at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("result returned at"), null=True, blank=True)
    status = models.PositiveSmallIntegerField(_("status"), choices=Status.choices)
    paid_online = models.PositiveSmallIntegerField(_("paid online"), default=0)  # 1 DVCQG, 2 provincial gateway
    has_financial_obligation = models.BooleanField(_("financial obligation"), default=False)
    supplement_requested_at = models.DateTimeField(_("supplement requested at"), null=True, blank=True)
    supplement_supplied_at = models.DateTimeField(_("supplement supplied at"), null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(_("supplement requests"), default=0)
    routed_electronically = models.BooleanField(_("routed electronically"), default=False)
    electronic_result = models.BooleanField(_("electronic result"), default=False)
    digitised_components = models.BooleanField(_("components digitised"), default=False)
    synced_dvcqg = models.BooleanField(_("synced to the national portal"), default=False)
    rating = models.PositiveSmallIntegerField(_("satisfaction rating"), choices=Rating.choices, null=True, blank=True)
    has_complaint = models.BooleanField(_("complaint (PAKN)"), default=False)
    # Only the national sync record (JSON) carries these; null = not known for this dossier.
    reused_data = models.BooleanField(_("reused digitised data"), null=True, blank=True)
    from_citizen_store = models.BooleanField(_("taken from the citizen's data store"), null=True, blank=True)
    # Target 2.3 (a stock of still-valid results): when a paper result was digitised, and when the result stops
    # being valid (empty: valid without a limit). Optional columns NgaySoHoaKetQua, NgayHetHieuLucKetQua.
    result_digitised_at = models.DateTimeField(_("result digitised at"), null=True, blank=True)
    result_expires_at = models.DateTimeField(_("result valid until"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        indexes = [models.Index(fields=["unit", "accepted_at"], name="dossier_unit_accepted")]
        constraints = [models.UniqueConstraint(fields=["code"], name="dossier_code_unique")]

    def __str__(self) -> str:
        return self.code


class RefreshMark(models.Model):
    """A (unit, year) whose stored figures an import changed and that is not yet recomputed.

    Written in the import's own transaction, deleted in the transaction that stores the recomputed figures: after any
    crash the figures are either refreshed or marked, and the next worker start (or `cchc recompute_indicators
    --pending`) finishes the refresh. Several imports may mark the same pair (one row each).
    """

    access_rule = RoleOnly("manage_reference_data")  # bookkeeping of the workers: no page shows it
    # The refresh's to-do list: pages change when the refresh writes the figures (cchc.core.dataversion).
    moves_data_version = False

    unit_id = models.BigIntegerField(_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    marked_at = models.DateTimeField(_("marked"), auto_now_add=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("indicator refresh pending")
        verbose_name_plural = _("indicator refreshes pending")
        indexes = [models.Index(fields=["year", "unit_id"], name="dossier_refreshmark_year")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}"


class ImportBatch(models.Model):
    """One dossier import that changed something: the delta refresh's unit of change (`DossierChange`).

    Dossiers it added have ids in (`new_after`, `new_up_to`] (imports run one at a time and hold the dossier table);
    the previous version of each dossier it changed is a `DossierChange` row. A year's stored figures record the last
    batch they reflect (`indicators.DeltaBase`); batches every year has taken in are deleted.
    """

    access_rule = RoleOnly("manage_reference_data")  # bookkeeping of the refresh: no page shows it
    # The refresh's record of an import: pages change when the refresh writes the figures (cchc.core.dataversion).
    moves_data_version = False

    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    new_after = models.BigIntegerField(_("highest dossier id before the import"), default=0)
    new_up_to = models.BigIntegerField(_("highest dossier id after the import"), default=0)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("dossier import batch")
        verbose_name_plural = _("dossier import batches")

    def __str__(self) -> str:
        return f"batch {self.pk}"


class DossierChange(models.Model):
    """The version of a dossier an import replaced, as the indicators last saw it (the fields they read).

    Written set-based by the import's merge (`importing.py`), read and deleted by the delta refresh
    (`indicators/delta.py`), which subtracts this version's contributions and adds the current one's.
    """

    access_rule = RoleOnly("manage_reference_data")
    # The importer's record of previous versions, read by the delta refresh only (cchc.core.dataversion).
    moves_data_version = False

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="changes")
    dossier_id = models.BigIntegerField()
    # The same columns as the dossier table (the engine's loader reads either table).
    unit_id = models.BigIntegerField()
    procedure_id = models.BigIntegerField()
    channel = models.PositiveSmallIntegerField()
    accepted_at = models.DateTimeField(null=True)
    due_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    status = models.PositiveSmallIntegerField()
    paid_online = models.PositiveSmallIntegerField()
    has_financial_obligation = models.BooleanField()
    supplement_requested_at = models.DateTimeField(null=True)
    supplement_supplied_at = models.DateTimeField(null=True)
    supplement_count = models.PositiveSmallIntegerField()
    routed_electronically = models.BooleanField()
    electronic_result = models.BooleanField()
    digitised_components = models.BooleanField()
    synced_dvcqg = models.BooleanField()
    rating = models.PositiveSmallIntegerField(null=True)
    has_complaint = models.BooleanField()
    reused_data = models.BooleanField(null=True)
    from_citizen_store = models.BooleanField(null=True)
    result_digitised_at = models.DateTimeField(null=True)
    result_expires_at = models.DateTimeField(null=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("replaced dossier version")
        verbose_name_plural = _("replaced dossier versions")

    def __str__(self) -> str:
        return f"{self.dossier_id} (batch {self.batch_id})"


# The fields of a dossier a `DossierChange` keeps (the indicators' inputs).
CHANGE_FIELDS = [f.name for f in DossierChange._meta.concrete_fields if f.name not in ("id", "batch", "dossier_id")]


def mark_for_refresh(affected) -> int:
    """Mark the (unit_id, year) pairs an import changed (inside the import's transaction)."""
    marks = [RefreshMark(unit_id=unit, year=year) for unit, year in sorted(set(affected))]
    RefreshMark.objects.bulk_create(marks, batch_size=500)
    return len(marks)
