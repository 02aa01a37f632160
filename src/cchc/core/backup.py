"""Backup and restore of the whole site: the database and the uploaded files, in one archive.

The archive is a tar file: `manifest.json`, the database (`database.sqlite3`, a copy made with SQLite's online
backup API, or `database.dump`, PostgreSQL's `pg_dump` custom format) and `media/` (evidence, signed documents,
imports, generated documents).

Consistent while the site runs: the database copy is one snapshot (the backup API copies a single read transaction
in WAL mode, `pg_dump` one repeatable-read transaction) and the files are copied after it. Files are only ever added
under new random names, so every file the snapshot refers to is in the archive (a file uploaded during the backup may
be there too, unreferenced — harmless).

Restore replaces the database (SQLite: the backup API again, into the live file; PostgreSQL: `pg_restore --clean
--single-transaction`, all or nothing) and then the media folder (unpacked beside it, then swapped in).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

FORMAT = "cchc-backup"
VERSION = 1


class BackupError(Exception):
    pass


def _pg_env_args() -> tuple[dict, list[str]]:
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return env, args


def _run(command: list[str], env: dict) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client)") from None
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def dump_database(folder: Path) -> str:
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return target.name
    if connection.vendor == "postgresql":
        target = folder / "database.dump"
        env, args = _pg_env_args()
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *args], env)
        return target.name
    raise BackupError(f"backups of {connection.vendor} are not supported")


def backup(destination: Path | None = None) -> tuple[Path, dict]:
    """Write the archive; returns its path and manifest."""
    media = Path(settings.MEDIA_ROOT)
    if destination is None:
        destination = Path(settings.DATA_DIR) / "backups" / f"cchc-{dt.datetime.now():%Y%m%d-%H%M%S}.tar"
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cchc-backup-", dir=destination.parent) as temp:
        folder = Path(temp)
        database = dump_database(folder)
        files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": {"vendor": connection.vendor, "file": database},
            "media": {"files": len(files), "bytes": sum(p.stat().st_size for p in files)},
        }
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
        partial = destination.with_name(destination.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(folder / "manifest.json", "manifest.json")
            archive.add(folder / database, database)
            for path in files:
                archive.add(path, f"media/{path.relative_to(media).as_posix()}", recursive=False)
        partial.replace(destination)  # a finished archive or none
    return destination, manifest


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile("manifest.json"))
    except (KeyError, ValueError) as exc:
        raise BackupError("not a cchc backup (no manifest.json)") from exc
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(f"unknown backup format {manifest.get('format')} {manifest.get('version')}")
    return manifest


def restore(source: Path) -> dict:
    """Replace the database and the uploaded files with the archive's."""
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(source, "r") as archive:
        manifest = read_manifest(archive)
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise BackupError(f"the backup is of a {vendor} database, this site uses {connection.vendor}")
        media.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="cchc-restore-", dir=media.parent) as temp:
            folder = Path(temp)
            archive.extractall(folder, filter="data")
            restore_database(folder / manifest["database"]["file"])
            unpacked = folder / "media"
            unpacked.mkdir(exist_ok=True)
            old = media.with_name(media.name + ".before-restore")
            if old.exists():
                shutil.rmtree(old)
            if media.exists():
                media.rename(old)
            unpacked.rename(media)
            if old.exists():
                shutil.rmtree(old)
    return manifest


def restore_database(dump: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise BackupError("restore cannot run inside a transaction")
        with sqlite3.connect(dump) as source:
            source.backup(connection.connection)
        source.close()
        return
    env, args = _pg_env_args()
    for alias in connections:  # pg_restore --clean needs the tables free of this process's sessions
        connections[alias].close()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(dump),
        ],
        env,
    )
