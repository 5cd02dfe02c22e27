"""Production serving: collectstatic with the production storage, every public page rendered from its
manifest, and the production settings under gunicorn behind an HTTPS proxy (the CI smoke test)."""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import importlib
import json
import os
import re
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from procedures.services.demo import seed_units
from tests.factories import RequiredDocumentFactory

ROOT = Path(__file__).resolve().parents[2]
SECRET = "x" * 30 + "-Very-long-production-secret-key-1234567890"
COLLECTSTATIC_TIMEOUT = 300
GUNICORN_START_TIMEOUT = 60
REQUEST_TIMEOUT = 30


def production_env(**extra: str) -> dict[str, str]:
    """The environment a production deployment sets (settings read only from it)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/motcua"),
    )
    env.update(extra)
    return env


def load_production_settings(monkeypatch) -> dict:
    """portal.settings.production as a dict of its UPPER-CASE names, read with a production environment."""
    for key, value in production_env().items():
        if key.startswith(("DJANGO_", "DATABASE_URL")) and key != "DJANGO_SETTINGS_MODULE":
            monkeypatch.setenv(key, value)
    sys.modules.pop("portal.settings.production", None)
    module = importlib.import_module("portal.settings.production")
    sys.modules.pop("portal.settings.production", None)
    return {name: getattr(module, name) for name in dir(module) if name.isupper()}


@pytest.fixture(scope="session")
def production_static_root(tmp_path_factory) -> Path:
    """`manage.py collectstatic` exactly as a deployment runs it: production settings, strict manifest."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=production_env(STATIC_ROOT=str(static_root)),
        capture_output=True,
        text=True,
        timeout=COLLECTSTATIC_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return static_root


def test_collectstatic_with_the_production_storage_writes_a_manifest(production_static_root):
    manifest = json.loads((production_static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["vendor/bootstrap/bootstrap.min.css"]
    assert hashed != "vendor/bootstrap/bootstrap.min.css"
    assert (production_static_root / hashed).exists()
    assert (production_static_root / f"{hashed}.gz").exists()
    # The source maps the vendored files name are shipped, so the strict manifest has them.
    for source_map in (
        "vendor/bootstrap/bootstrap.min.css.map",
        "vendor/bootstrap/bootstrap.bundle.min.js.map",
        "vendor/chartjs/chart.umd.min.js.map",
    ):
        assert (production_static_root / manifest["paths"][source_map]).exists()


def test_vendored_files_are_upstreams_unmodified():
    """The sums of static/vendor/SHA256SUMS: npm's dist files as published, with their source maps."""
    vendor = ROOT / "static" / "vendor"
    for line in (vendor / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == digest, name


def _public_paths(procedure) -> list[str]:
    return [
        reverse("home"),
        reverse("catalogue"),
        reverse("catalogue") + "?search=chung+thuc",
        reverse("procedure_detail", args=[procedure.code]),
        reverse("procedure_checklist", args=[procedure.code]),
        reverse("accounts:login"),
        reverse("accounts:register"),
        reverse("api-docs"),
        "/khong-co-trang-nay/",  # the 404 page is public too
    ]


STATIC_REFERENCE = re.compile(r"""(?:href|src)=["'](/static/[^"'?#]+)""")


@pytest.mark.django_db
def test_every_public_page_renders_with_the_production_manifest(client, production_static_root):
    seed_units()
    procedure = RequiredDocumentFactory().procedure
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, STATIC_ROOT=production_static_root, WHITENOISE_USE_FINDERS=False):
        for path in _public_paths(procedure):
            response = client.get(path)
            expected = 404 if path.startswith("/khong") else 200
            assert response.status_code == expected, path
            references = STATIC_REFERENCE.findall(response.content.decode())
            assert references, path
            for url in references:
                # Every asset a page names is a hashed copy that collectstatic wrote.
                assert (production_static_root / url.removeprefix("/static/")).is_file(), (path, url)
                assert re.search(r"\.[0-9a-f]{12}\.", url), (path, url)


@pytest.mark.django_db
def test_security_txt_names_the_contact_and_expires_within_a_year(client, settings):
    assert client.get("/.well-known/security.txt").status_code == 404  # not configured
    settings.SECURITY_CONTACT = "baomat@motcua.example.gov.vn"
    response = client.get("/.well-known/security.txt")
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"] == "mailto:baomat@motcua.example.gov.vn"
    expires = datetime.fromisoformat(fields["Expires"])
    assert timedelta(days=300) < expires - datetime.now(tz=UTC) <= timedelta(days=366)
    assert fields["Preferred-Languages"] == "vi, en"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    """Poll until gunicorn accepts connections, failing fast if it dies, within a deadline."""
    deadline = time.monotonic() + GUNICORN_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)  # a poll interval under a deadline, not a blind wait
    pytest.fail(f"gunicorn did not listen within {GUNICORN_START_TIMEOUT}s:\n{log.read_text()[-3000:]}")


@pytest.fixture
def gunicorn(transactional_db, production_static_root, tmp_path):
    """gunicorn serving portal.settings.production on a free port, against the test database."""
    port = _free_port()
    database = connection.settings_dict
    database_url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    log = tmp_path / "gunicorn.log"
    env = production_env(
        DATABASE_URL=database_url,
        STATIC_ROOT=str(production_static_root),
        SECURE_SSL_REDIRECT="true",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        CONN_MAX_AGE="0",
        SECURITY_CONTACT="baomat@motcua.example.gov.vn",
    )
    command = [sys.executable, "-m", "gunicorn", "portal.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "30", "--forwarded-allow-ips", "*"]
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        _wait_for_port(port, process, log)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _get(port: int, path: str, https: bool = True, headers: dict | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    sent = {"X-Forwarded-Proto": "https"} if https else {}
    sent.update(headers or {})
    conn.request("GET", path, headers=sent)
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


def test_production_settings_serve_under_gunicorn_behind_an_https_proxy(gunicorn):
    port = gunicorn
    seed_units()
    procedure = RequiredDocumentFactory().procedure

    for path in _public_paths(procedure):
        response = _get(port, path)
        assert response.status == (404 if path.startswith("/khong") else 200), (path, response.body[:500])

    home = _get(port, "/")
    assert home.getheader("Strict-Transport-Security").startswith("max-age=31536000")
    assert "default-src 'self'" in home.getheader("Content-Security-Policy")
    assert home.getheader("X-Content-Type-Options") == "nosniff"
    assert home.getheader("X-Frame-Options") == "DENY"
    assert '<html lang="vi">' in home.body.decode()

    # Static files: whitenoise serves the hashed copies, compressed, cached for ever.
    stylesheet = re.search(r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"', home.body.decode())
    assert stylesheet, home.body[:2000]
    asset = _get(port, stylesheet.group(1), headers={"Accept-Encoding": "gzip"})
    assert asset.status == 200
    assert asset.getheader("Content-Encoding") == "gzip"
    assert "max-age=315360000" in asset.getheader("Cache-Control")
    assert "immutable" in asset.getheader("Cache-Control")
    assert asset.getheader("X-Content-Type-Options") == "nosniff"

    # Plain HTTP is redirected to HTTPS.
    plain = _get(port, "/thu-tuc/", https=False)
    assert plain.status == 301
    assert plain.getheader("Location") == f"https://127.0.0.1:{port}/thu-tuc/"

    # The API answers JSON only, errors included.
    listing = _get(port, "/api/procedures/", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert listing.status == 200
    assert listing.getheader("Content-Type") == "application/json"
    assert json.loads(listing.body)["count"] == 1
    assert _get(port, "/api/procedures/?format=api").status == 404  # no browsable API
    missing = _get(port, "/api/khong-co/")
    assert missing.status == 404
    assert missing.getheader("Content-Type") == "application/json"
    assert "detail" in json.loads(missing.body)

    # Where to report a problem (RFC 9116), from the SECURITY_CONTACT setting.
    security = _get(port, "/.well-known/security.txt")
    assert security.status == 200
    assert security.getheader("Content-Type") == "text/plain; charset=utf-8"
    assert "Contact: mailto:baomat@motcua.example.gov.vn\n" in security.body.decode()
    assert f"Canonical: https://127.0.0.1:{port}/.well-known/security.txt" in security.body.decode()

    # Hostile input is a 400 in the visitor's language, not a 500.
    nul = _get(port, f"/thu-tuc/{procedure.code}%00/")
    assert nul.status == 400
    assert "Yêu cầu không hợp lệ" in nul.body.decode()
