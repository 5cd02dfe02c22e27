"""A fresh checkout's path: runtime files all land under var/, which the settings create.

Each test runs the real commands in a subprocess with the demo settings (SQLite, filesystem broker),
a var/ that does not exist yet (DJANGO_VAR_DIR) and, as working directory, an empty folder standing
for the repository root: anything written relative to the working directory would show up there.
"""

import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
READY_TIMEOUT = 90  # seconds; an upper bound, the loop below returns as soon as the worker is ready


def _demo_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "MEDIA_ROOT")}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.local",
        DJANGO_VAR_DIR=str(var_dir),
        PYTHONPATH=str(BASE_DIR),
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture
def root(tmp_path):
    """An empty working directory standing for the repository root."""
    folder = tmp_path / "root"
    folder.mkdir()
    return folder


def test_migrate_on_a_fresh_checkout_creates_var_and_the_sqlite_database(tmp_path, root):
    var_dir = tmp_path / "var"
    assert not var_dir.exists()
    result = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, str(BASE_DIR / "manage.py"), "migrate", "--noinput"],
        cwd=root,
        env=_demo_env(var_dir),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "unable to open database file" not in result.stderr
    assert (var_dir / "db.sqlite3").stat().st_size > 0
    for folder in ("media", "celery/queue", "celery/processed", "celery/control"):
        assert (var_dir / folder).is_dir(), folder
    assert list(root.iterdir()) == []

    # Running again is harmless: the folders exist, nothing is recreated or complained about.
    again = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, str(BASE_DIR / "manage.py"), "migrate", "--noinput", "--check"],
        cwd=root,
        env=_demo_env(var_dir),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 0, again.stderr


def _wait_for_line(process: subprocess.Popen, needle: str, timeout: float) -> str:
    """Read the process's output until a line contains `needle`; fail after `timeout` seconds."""
    seen = []
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0:
            if not selector.select(timeout=left):
                break
            line = process.stdout.readline()
            if not line:  # the process ended
                break
            seen.append(line)
            if needle in line:
                return "".join(seen)
    pytest.fail(f"no {needle!r} within {timeout}s; output:\n{''.join(seen)}")


def _run_until(argv: list[str], needle: str, *, cwd: Path, env: dict[str, str]) -> str:
    """Start a Celery command, wait (bounded) for the log line saying it is set up, then stop it."""
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "celery", "-A", "portal", *argv],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        return _wait_for_line(process, needle, READY_TIMEOUT)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


def test_celery_worker_and_beat_on_the_filesystem_broker_write_only_under_var(tmp_path, root):
    var_dir = tmp_path / "var"
    env = _demo_env(var_dir)
    # "ready" comes after the broadcast queue (pidbox) is bound and mingle has asked its peers.
    output = _run_until(["worker", "--pool=solo", "--loglevel=INFO"], " ready.", cwd=root, env=env)
    assert "filesystem://" in output
    # "Ticking" is logged once beat has opened its schedule file.
    _run_until(["beat", "--loglevel=DEBUG"], "beat: Ticking", cwd=root, env=env)

    assert not (root / "control").exists()
    assert list(root.iterdir()) == []
    assert any((var_dir / "celery" / "control").iterdir()), "the broadcast exchange table is under var/"
    assert list((var_dir / "celery").glob("beat-schedule*"))
