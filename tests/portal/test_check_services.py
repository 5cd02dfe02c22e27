"""`make test` names the server that is not answering and how to start it."""

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(**env):
    return subprocess.run(  # noqa: S603
        [sys.executable, "scripts/check_services.py"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_unreachable_redis_is_named_with_the_command_to_start_it():
    result = run(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    assert result.returncode == 1
    assert "Redis is not answering" in result.stderr
    assert "redis-server --daemonize yes" in result.stderr
    assert "PostgreSQL" not in result.stderr


def test_unreachable_postgresql_is_named_with_the_command_to_start_it():
    result = run(DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/motcua")
    assert result.returncode == 1
    assert "PostgreSQL is not answering" in result.stderr
    assert "pg_ctlcluster" in result.stderr


def test_both_servers_answering_passes():
    assert run().returncode == 0
