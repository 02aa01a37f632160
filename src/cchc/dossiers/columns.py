"""The columns of the import files (tthc-dossiers.md §1–2) and the model fields they fill: no Django here.

The dossier columns are named as the national sync record (DVCQG) names them; `readers.py` reads a file into
string columns of these names, `validation.py` turns them into the model fields listed here.
"""

# Dossier columns, as the national sync record (DVCQG) names them.
DOSSIER_COLUMNS = (
    "MaHoSo",
    "MaTTHC",
    "DonViXuLy",
    "KenhThucHien",
    "NgayNopHoSo",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayKetThucXuLy",
    "NgayTra",
    "TrangThaiHoSo",
    "DuocThanhToanTrucTuyen",
    "CoNghiaVuTaiChinh",
    "NgayYeuCauBoSung",
    "NgayHoanThanhBoSung",
    "SoLanYeuCauBoSung",
    "LuanChuyenDienTu",
    "CoKetQuaDienTu",
    "HoSoCoThanhPhanSoHoa",
    "DongBoDVCQG",
    "DanhGiaHaiLong",
    "CoPAKN",
    # Optional flat forms of what the sync record carries in TaiLieuNop[] (empty = not known).
    "DuocTaiSuDung",
    "DuocLayTuKhoDMQG",
    # Optional: the stock of still-valid results (target 2.3). When a paper result was digitised; when the
    # result stops being valid (empty = valid without a limit).
    "NgaySoHoaKetQua",
    "NgayHetHieuLucKetQua",
)
# A file without one of these columns is not a dossier file; any other absent column is read as empty.
DOSSIER_REQUIRED_COLUMNS = ("MaHoSo", "MaTTHC", "DonViXuLy", "TrangThaiHoSo", "NgayTiepNhan")
# Optional columns: a file without them imports; the warning says what is then not computed (`absent_notes`).
DOSSIER_OPTIONAL_COLUMNS = ("DuocTaiSuDung", "DuocLayTuKhoDMQG", "NgaySoHoaKetQua", "NgayHetHieuLucKetQua")
DOSSIER_DATE_COLUMNS = (
    "NgayNopHoSo",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayKetThucXuLy",
    "NgayTra",
    "NgayYeuCauBoSung",
    "NgayHoanThanhBoSung",
    "NgaySoHoaKetQua",
    "NgayHetHieuLucKetQua",
)
# column → model field
DOSSIER_FLAGS = {
    "CoNghiaVuTaiChinh": "has_financial_obligation",
    "LuanChuyenDienTu": "routed_electronically",
    "CoKetQuaDienTu": "electronic_result",
    "HoSoCoThanhPhanSoHoa": "digitised_components",
    "DongBoDVCQG": "synced_dvcqg",
    "CoPAKN": "has_complaint",
}
DOSSIER_NULLABLE_FLAGS = {"DuocTaiSuDung": "reused_data", "DuocLayTuKhoDMQG": "from_citizen_store"}
DOSSIER_DATES = {
    "NgayNopHoSo": "submitted_at",
    "NgayTiepNhan": "accepted_at",
    "NgayHenTra": "due_at",
    "NgayKetThucXuLy": "finished_at",
    "NgayTra": "returned_at",
    "NgayYeuCauBoSung": "supplement_requested_at",
    "NgayHoanThanhBoSung": "supplement_supplied_at",
    "NgaySoHoaKetQua": "result_digitised_at",
    "NgayHetHieuLucKetQua": "result_expires_at",
}
RATINGS = {"rat_hai_long": 1, "hai_long": 2, "khong_hai_long": 3, "1": 1, "2": 2, "3": 3}
STATUSES_NOT_ACCEPTED = (1, 3)  # the only statuses that may lack NgayTiepNhan
STATUSES_FINISHED = (9, 10)  # these must carry NgayKetThucXuLy
STATUSES_ENDED = (7, 8, 9, 10)  # NgayKetThucXuLy dates the end event of these (§4)
MAX_CODE_LENGTH = 60  # Dossier.code
MAX_SMALLINT = 32767

# The model fields of a dossier, in the order `validate_dossiers` returns them.
DOSSIER_FIELDS = (
    "code",
    "procedure_id",
    "unit_id",
    "channel",
    "submitted_at",
    "accepted_at",
    "due_at",
    "finished_at",
    "returned_at",
    "status",
    "paid_online",
    "has_financial_obligation",
    "supplement_requested_at",
    "supplement_supplied_at",
    "supplement_count",
    "routed_electronically",
    "electronic_result",
    "digitised_components",
    "synced_dvcqg",
    "rating",
    "has_complaint",
    "reused_data",
    "from_citizen_store",
    "result_digitised_at",
    "result_expires_at",
)
# Besides the fields: the first and last year (local) the dossier counts in, for the indicator refresh.
YEAR_FROM, YEAR_TO = "_year_from", "_year_to"

CATALOGUE_COLUMNS = (
    "MaTTHC",
    "TenTTHC",
    "MaLinhVuc",
    "TenLinhVuc",
    "CapThucHien",
    "MucDoDVCTT",
    "DuDieuKienToanTrinh",
    "TichHopDVCQG",
    "CoPhiLePhi",
    "ThanhToanTrucTuyen",
    "YeuCauKetQuaGiay",
    "ThoiHanGiaiQuyet",
    "DonViTinh",
    "NoiBo",
    # Optional: eligible for online service (target 2.4a; empty = eligible) and the owning agency ("cơ quan
    # thực hiện": a department's code or name), which makes each department's catalogue figures its own.
    "DuDieuKienDVCTT",
    "CoQuanThucHien",
)
CATALOGUE_REQUIRED_COLUMNS = ("MaTTHC", "TenTTHC")
CATALOGUE_OPTIONAL_COLUMNS = ("DuDieuKienDVCTT", "CoQuanThucHien")
CATALOGUE_FLAGS = {
    "DuDieuKienToanTrinh": "eligible_full_online",
    "TichHopDVCQG": "integrated_dvcqg",
    "CoPhiLePhi": "has_fee",
    "ThanhToanTrucTuyen": "online_payment",
    "YeuCauKetQuaGiay": "paper_result",
    "NoiBo": "internal",
}
LEVEL_TOKENS = {"tinh": "at_province", "huyen": "at_district", "xa": "at_commune"}
# Decree 42/2022 replaced the old levels 1–4: old 4 ≈ full, old 3 ≈ partial, 1 and 2 are not online.
ONLINE_LEVELS = {
    "toan_trinh": "toan_trinh",
    "mot_phan": "mot_phan",
    "4": "toan_trinh",
    "3": "mot_phan",
    "2": "",
    "1": "",
}
TIME_UNITS = ("gio", "ngay", "ngay_lam_viec", "thang")
PROCEDURE_FIELDS = (
    "code",
    "name",
    "sector_code",
    "sector_name",
    "at_province",
    "at_district",
    "at_commune",
    "online_level",
    "eligible_full_online",
    "integrated_dvcqg",
    "has_fee",
    "online_payment",
    "paper_result",
    "time_limit",
    "time_unit",
    "internal",
    "eligible_online",
    "owner_id",
)
# Fields a catalogue file leaves as stored when it lacks their (optional) column.
PROCEDURE_OPTIONAL_FIELDS = {"DuDieuKienDVCTT": "eligible_online", "CoQuanThucHien": "owner_id"}
MAX_LENGTHS = {"MaTTHC": 40, "MaLinhVuc": 40, "TenLinhVuc": 200}

LINE = "_line"  # the column of a batch that holds each row's line in the file
