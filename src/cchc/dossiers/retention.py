"""Uploaded import files (and their error reports) are kept CCHC_IMPORT_KEEP_DAYS days, then removed: the data is in
the database by then, and the files may hold personal data of applicants."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

from django.conf import settings


def imports_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def purge_old_imports(days: float | None = None, now: float | None = None) -> list[Path]:
    """Remove the upload folders last written more than `days` ago; returns the removed folders."""
    days = settings.CCHC_IMPORT_KEEP_DAYS if days is None else days
    cutoff = (now or time.time()) - dt.timedelta(days=days).total_seconds()
    removed = []
    root = imports_folder()
    if not root.is_dir():
        return removed
    for folder in root.iterdir():
        if not folder.is_dir() or folder.is_symlink():
            continue
        newest = max([folder.stat().st_mtime] + [f.stat().st_mtime for f in folder.iterdir()])
        if newest < cutoff:
            shutil.rmtree(folder)
            removed.append(folder)
    return removed
