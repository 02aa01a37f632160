"""Evidence and signed documents that units upload: the type is read from the content, the size is bounded.

A file named "report.pdf" that is really an executable is refused; so is a PDF renamed "photo.png" (the name's
extension must agree with the content, so the file opens with the right program when a reviewer downloads it).
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# extension from the content → extensions a name may carry for it
ALLOWED_TYPES = {
    "pdf": {"pdf"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "png": {"png"},
    "jpg": {"jpg", "jpeg"},
}
HEADER_BYTES = 8192


def stored_name(folder: str, kind: str | None) -> str:
    """A random name to store an upload under `folder` (e.g. "evidence/2026"): the original name is kept in the row,
    never trusted as a path. Each model's `upload_to` function calls this (migrations name those functions)."""
    return f"{folder}/{uuid.uuid4().hex}.{kind or 'bin'}"


def max_bytes() -> int:
    return settings.CCHC_MAX_EVIDENCE_BYTES


def detect_type(uploaded) -> str | None:
    """The file's type from its first bytes (magic numbers); None when it is none of the allowed kinds."""
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(HEADER_BYTES)
    uploaded.seek(position)
    kind = filetype.guess(head)
    if kind is None or kind.extension not in ALLOWED_TYPES:
        return None
    return kind.extension


def validate_evidence(uploaded) -> str:
    """Raise ValidationError with a message naming the file, or return its detected type."""
    name = PurePath(uploaded.name or "").name
    if uploaded.size > max_bytes():
        raise ValidationError(
            _("%(name)s is %(size).1f MB; files up to %(limit)d MB are accepted.")
            % {"name": name, "size": uploaded.size / 2**20, "limit": max_bytes() // 2**20},
            code="too_large",
        )
    if uploaded.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name}, code="empty")
    detected = detect_type(uploaded)
    if detected is None:
        raise ValidationError(
            _("%(name)s is not a PDF, Word (DOCX), Excel (XLSX), PNG or JPEG file (checked by its content).")
            % {"name": name},
            code="bad_type",
        )
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in ALLOWED_TYPES[detected]:
        raise ValidationError(
            _("%(name)s contains a %(kind)s file but its name ends in .%(extension)s; rename it and try again.")
            % {"name": name, "kind": detected.upper(), "extension": extension or "?"},
            code="name_mismatch",
        )
    return detected


def sha256(uploaded) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks() if hasattr(uploaded, "chunks") else iter(lambda: uploaded.read(2**20), b""):
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()
