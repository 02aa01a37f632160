"""The agencies' narratives turned into one synthesis by theme, as a province report writes it (pure: no database).

A province report does not paste 29 units' paragraphs one after another: it says, theme by theme, what was
achieved, what falls short, why, and what is proposed, and which units said so. Here:

1. each unit's text is cut into statements (sentences; a limitation's "… do …" clause is its cause);
2. each statement is given a kind — result, limitation, cause, proposal — from the words official reports use
   ("Tuy nhiên", "hạn chế", "còn chậm", "chưa …" for limitations; "nguyên nhân", "do …" for causes; "đề nghị",
   "kiến nghị", "đề xuất" for proposals), and a theme: the reform area its words belong to;
3. statements that say the same thing (the same words once case, punctuation and the leading connective are set
   aside, or nearly: 85 % of their words in common) are merged, with every unit that made them;
4. "Không có." and notes about the review itself ("theo ý kiến của cơ quan thẩm định") are left out.

`synthesise(items)` takes [(unit name, text)] and returns the grouped statements; queries.py writes them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

RESULT, LIMIT, CAUSE, PROPOSAL = "result", "limit", "cause", "proposal"
KINDS = (RESULT, LIMIT, CAUSE, PROPOSAL)
KIND_TITLE = {
    RESULT: "Kết quả đạt được",
    LIMIT: "Tồn tại, hạn chế",
    CAUSE: "Nguyên nhân",
    PROPOSAL: "Đề xuất, kiến nghị",
}

# Themes: the reform areas of the plan, then the rest. Words are matched on the lower-cased statement.
THEMES = (
    (
        "steering",
        "Công tác chỉ đạo, điều hành, kiểm tra, tuyên truyền",
        (
            "chỉ đạo",
            "điều hành",
            "kiểm tra",
            "tuyên truyền",
            "kế hoạch cchc",
            "nhiệm vụ cchc",
            "nhiệm vụ còn lại",
            "kế hoạch cải cách",
            "nhận thức",
        ),
    ),  # noqa: E501
    ("institutions", "Cải cách thể chế", ("thể chế", "văn bản quy phạm", "văn bản qppl", "pháp luật")),
    (
        "procedures",
        "Cải cách thủ tục hành chính, Bộ phận Một cửa",
        (
            "thủ tục",
            "tthc",
            "hồ sơ",
            "một cửa",
            "dịch vụ công",
            "thanh toán trực tuyến",
            "số hóa",
            "người dân, doanh nghiệp",
            "hài lòng",
        ),
    ),  # noqa: E501
    ("organisation", "Cải cách tổ chức bộ máy", ("tổ chức bộ máy", "sắp xếp", "biên chế", "đơn vị sự nghiệp")),
    (
        "civil_service",
        "Cải cách chế độ công vụ, đội ngũ cán bộ, công chức",
        ("công chức", "viên chức", "cán bộ", "nhân lực", "tập huấn", "bồi dưỡng", "kỷ luật", "kỷ cương"),
    ),  # noqa: E501
    ("public_finance", "Cải cách tài chính công", ("tài chính", "kinh phí", "ngân sách", "tự chủ")),
    (
        "digital",
        "Xây dựng chính quyền điện tử, chính quyền số",
        (
            "công nghệ thông tin",
            "chuyển đổi số",
            "chính quyền số",
            "điện tử",
            "hạ tầng",
            "đường truyền",
            "thiết bị",
            "phần mềm",
            "hệ thống thông tin",
        ),
    ),  # noqa: E501
)
OTHER_THEME = ("other", "Nội dung khác")
THEME_TITLE = {key: title for key, title, _words in THEMES} | {OTHER_THEME[0]: OTHER_THEME[1]}

PROPOSAL_WORDS = ("đề nghị", "kiến nghị", "đề xuất")
CAUSE_WORDS = ("nguyên nhân", "do thiếu", "do chưa", "bởi vì", "là do")
LIMIT_WORDS = (
    "hạn chế", "tồn tại", "khó khăn", "vướng mắc", "còn chậm", "còn thấp", "còn hạn chế", "chưa", "trễ hạn",
    "quá hạn", "vẫn còn", "tuy nhiên", "không đáp ứng", "thiếu",
)  # fmt: skip
LEADING = re.compile(
    r"^(tuy nhiên|bên cạnh đó|ngoài ra|hạn chế|tồn tại|nguyên nhân|kết quả|đồng thời|mặt khác|vẫn còn)\s*[:,]?\s*",
    re.IGNORECASE,
)
NOTHING = re.compile(r"^(không có|không|chưa có|không có ý kiến|không có đề xuất|không có kiến nghị)\.?$", re.I)
ABOUT_THE_REVIEW = re.compile(r"theo ý kiến (của )?(cơ quan )?thẩm định|theo yêu cầu của cơ quan thẩm định", re.I)
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
CAUSE_CLAUSE = re.compile(r"\s+(?:là )?do\s+(?=\S)", re.I)
SIMILAR = 0.85


@dataclass
class Statement:
    text: str
    kind: str
    theme: str
    units: list[str] = field(default_factory=list)
    words: frozenset = frozenset()


@dataclass
class Synthesis:
    """kind → theme → statements (most units first); `units`: every unit that wrote something."""

    by_kind: dict[str, dict[str, list[Statement]]]
    units: list[str]

    def statements(self, kind: str) -> list[Statement]:
        return [s for theme in self.by_kind.get(kind, {}).values() for s in theme]


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).strip().strip("-–•*+ ").strip()
    text = LEADING.sub("", text).strip()
    return text.rstrip(" .;,")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _words(text: str) -> frozenset:
    return frozenset(re.findall(r"\w+", text.lower()))


def split(text: str, clauses: bool = True) -> list[tuple[str, str | None]]:
    """[(statement, kind forced by the grammar or None)]: sentences; a limitation's "… do X" clause is a cause."""
    result: list[tuple[str, str | None]] = []
    for sentence in SENTENCE_END.split(unicodedata.normalize("NFC", text or "")):
        sentence = sentence.strip()
        if not sentence:
            continue
        head = sentence.lower()
        if NOTHING.match(head.strip()) or ABOUT_THE_REVIEW.search(head):
            continue
        is_proposal = head.lstrip("-–•*+ ").startswith(PROPOSAL_WORDS)
        parts = CAUSE_CLAUSE.split(sentence, maxsplit=1) if clauses and not is_proposal else [sentence]
        if len(parts) == 2 and kind_of(parts[0]) == LIMIT and len(parts[1]) > 8:
            result.append((parts[0], LIMIT))
            result.append((parts[1], CAUSE))
        else:
            result.append((sentence, None))
    return result


def kind_of(statement: str) -> str:
    low = statement.lower().lstrip("-–•*+ ")
    if low.startswith(PROPOSAL_WORDS):
        return PROPOSAL
    if any(word in low for word in CAUSE_WORDS) or low.startswith("do "):
        return CAUSE
    if any(word in low for word in LIMIT_WORDS):
        return LIMIT
    return RESULT


def theme_of(statement: str) -> str:
    low = statement.lower()
    best, hits = OTHER_THEME[0], 0
    for key, _title, words in THEMES:
        count = sum(1 for word in words if word in low)
        if count > hits:
            best, hits = key, count
    return best


def synthesise(items: list[tuple[str, str]], kinds: tuple[str, ...] = KINDS, default: str | None = None) -> Synthesis:
    """Group the statements of [(unit, text)] by kind and theme, merging those that say the same thing.

    `kinds` keeps only those kinds; `default` gives every statement that kind (the next period's tasks, the
    proposals: the field already says what they are)."""
    merged: list[Statement] = []
    writers: list[str] = []
    for unit, text in items:
        for raw, forced in split(text, clauses=default is None):
            cleaned = _clean(raw)
            if len(cleaned) < 4:
                continue
            kind = default or forced or kind_of(raw)
            if kind not in kinds:
                continue
            words = _words(cleaned)
            same = next((s for s in merged if s.kind == kind and _alike(s.words, words)), None)
            if same is None:
                same = Statement(_capital(cleaned), kind, theme_of(cleaned), words=words)
                merged.append(same)
            if unit not in same.units:
                same.units.append(unit)
            if unit not in writers:
                writers.append(unit)
    by_kind: dict[str, dict[str, list[Statement]]] = {}
    theme_order = [key for key, _t, _w in THEMES] + [OTHER_THEME[0]]
    for kind in kinds:
        of_kind = [s for s in merged if s.kind == kind]
        themes: dict[str, list[Statement]] = {}
        for theme in theme_order:
            found = [s for s in of_kind if s.theme == theme]
            if found:
                # Most units first; ties in the order they were first written.
                themes[theme] = sorted(found, key=lambda s: -len(s.units))
        by_kind[kind] = themes
    return Synthesis(by_kind, writers)


def _alike(a: frozenset, b: frozenset) -> bool:
    if a == b:
        return True
    if not a or not b:
        return False
    return len(a & b) / len(a | b) >= SIMILAR


def units_phrase(units: list[str], all_units: int | None = None) -> str:
    """ "Sở Tư pháp, UBND huyện Tuy Phong" — every unit named, as the brief of a synthesis requires; when every unit
    that reported said it, says so first."""
    names = ", ".join(units)
    if all_units and len(units) == all_units and all_units > 2:
        return f"tất cả {all_units} cơ quan, đơn vị: {names}"
    if len(units) > 1:
        return f"{len(units)} cơ quan, đơn vị: {names}"
    return names


def sentence(statement: Statement, all_units: int | None = None) -> str:
    return f"- {statement.text} ({units_phrase(statement.units, all_units)})."
