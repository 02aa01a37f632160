"""Issue 13 (Low): `cchc check --deploy` is clean with the documented production settings (README "Security"): HSTS,
HTTPS redirect behind a proxy, secure cookies; and the responses carry a Content-Security-Policy."""

import os
import secrets
import subprocess
import sys

import pytest


def deploy_check(tmp_path, **overrides) -> str:
    # The production environment: none of the test suite's own variables (plain HTTP, async unsafe, …).
    test_only = {"DEBUG", "SECURE_COOKIES", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in test_only | {"DJANGO_SETTINGS_MODULE"}}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="cchc.example.vn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        CCHC_DATA_DIR=str(tmp_path),
        **overrides,
    )
    done = subprocess.run(
        [sys.executable, "-m", "cchc", "check", "--deploy"], env=env, capture_output=True, text=True, timeout=120
    )
    return done.stdout + done.stderr


def test_the_production_settings_pass_the_deploy_check(tmp_path):
    output = deploy_check(tmp_path)
    assert "System check identified no issues" in output, output


def test_turning_https_off_is_reported(tmp_path):
    output = deploy_check(tmp_path, SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="0")
    assert "security.W008" in output and "security.W004" in output


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_and_inline_scripts_its_nonce(client, plan_2023, make_account):
    client.force_login(make_account("VPUBND", "leader"))
    response = client.get("/indicators/60/2023/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.text
    assert "onchange=" not in response.text and "onsubmit=" not in response.text
