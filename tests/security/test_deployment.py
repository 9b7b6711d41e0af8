"""Hardened deployment: the production settings pass `check --deploy`, every page carries a strict
Content-Security-Policy, sessions are short and private, and CSRF protects every form."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[2]
# Views that may skip CSRF: the API, authenticated by bearer token (no cookie, so nothing to forge).
CSRF_EXEMPT_PREFIXES = ("/api/",)


def test_production_settings_pass_the_deploy_check(tmp_path):
    """`manage.py check --deploy` with the production settings reports no issue at all."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "vigil.settings.production",
        "VIGIL_SECRET_KEY": "k" * 20 + "-production-like-secret-" + "Zx9" * 10,
        "VIGIL_ALLOWED_HOSTS": "example.org",
        "VIGIL_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_allowed_hosts_written_with_spaces_are_the_host_names_themselves(tmp_path):
    """`VIGIL_ALLOWED_HOSTS="vigil.example.org, www.example.org,"` allows both names (no leading space, which no
    request's host matches) and trusts their HTTPS origins, with no empty name from the last comma."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "vigil.settings.production",
        "VIGIL_SECRET_KEY": "k" * 50,
        "VIGIL_ALLOWED_HOSTS": "vigil.example.org, www.example.org,",
        "VIGIL_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; django.setup(); "
         "print(settings.ALLOWED_HOSTS, settings.CSRF_TRUSTED_ORIGINS)"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "['vigil.example.org', 'www.example.org'] ['https://vigil.example.org', 'https://www.example.org']"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/staff/login/", "/en/", "/api/v1/people"])
def test_every_response_carries_a_strict_content_security_policy(path):
    """No third-party origin, no inline script, no framing, no plugins."""
    response = Client().get(path, follow=True)
    policy = dict(
        directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'" and policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert not any("http" in sources or "*" in sources for sources in policy.values())
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_sessions_are_short_private_and_same_site():
    """Session cookies end with the browser or after a working day, are hidden from scripts, and are not
    sent on cross-site requests."""
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE in ("Lax", "Strict")
    assert (
        settings.PASSWORD_HASHERS[0] != "django.contrib.auth.hashers.MD5PasswordHasher"
        or "test" in settings.SETTINGS_MODULE
    )


def test_argon2_hashes_passwords_outside_tests():
    """Outside the test settings (which use a fast hasher) argon2 comes first."""
    from vigil.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert base.VIGIL_TWO_FACTOR_REQUIRED is True


def _views(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _views(pattern.url_patterns, route)
        else:
            found.append(("/" + route.lstrip("^"), pattern.callback))
    return found


def test_no_view_outside_the_token_api_skips_csrf():
    """CSRF protection is on for every view that a browser session can reach."""
    exempt = [
        route
        for route, view in _views(get_resolver().url_patterns)
        if getattr(view, "csrf_exempt", False) and not route.startswith(CSRF_EXEMPT_PREFIXES)
    ]
    assert exempt == []


@pytest.mark.django_db
def test_a_sign_in_without_its_csrf_token_is_refused_and_audited():
    """A forged sign-in form (no CSRF token) is refused, and the refusal logged."""
    from vigil.audit.models import AuditAction, AuditEntry

    client = Client(enforce_csrf_checks=True)
    response = client.post("/staff/login/", {"username": "someone", "password": "guess"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action=AuditAction.REFUSED, detail__status=403).exists()
