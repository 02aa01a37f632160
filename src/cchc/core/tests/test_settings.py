"""Production refuses to start with the built-in secret key."""

import os
import subprocess
import sys


def run_settings(**env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import cchc.settings"], env=environ, capture_output=True, text=True, timeout=60
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = run_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is the built-in default" in result.stderr


def test_production_with_a_secret_key_starts_and_debug_mode_needs_none():
    assert run_settings(DEBUG="0", SECRET_KEY="a-real-secret-from-the-environment").returncode == 0
    assert run_settings(DEBUG="1").returncode == 0


def test_database_url_selects_postgresql(tmp_path):
    code = "import cchc.settings as s; print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'])"
    environ = {**os.environ, "DEBUG": "1", "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/cchc"}
    out = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["django.db.backends.postgresql", "cchc"]


def test_a_command_before_the_database_exists_says_what_to_run(tmp_path):
    environ = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    out = subprocess.run(
        [sys.executable, "-m", "cchc", "export_plan", "--year", "2023"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode != 0
    assert "Run `cchc migrate` then `cchc load_defaults`" in out.stderr and "Traceback" not in out.stderr
