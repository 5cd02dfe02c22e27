"""Say exactly which test server is unreachable and how to start it, before pytest runs."""

import os
import socket
import sys
from urllib.parse import urlparse

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/motcua"
HOW = {
    "PostgreSQL": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "Redis": 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
}


def reachable(url: str, default_port: int) -> tuple[bool, str]:
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or default_port
    try:
        with socket.create_connection((host, port), timeout=3):
            return True, f"{host}:{port}"
    except OSError:
        return False, f"{host}:{port}"


def main() -> int:
    checks = [
        ("PostgreSQL", "DATABASE_URL", os.environ.get("DATABASE_URL", DEFAULT_DB), 5432),
        ("Redis", "REDIS_URL", os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"), 6379),
    ]
    failed = False
    for name, var, url, port in checks:
        ok, where = reachable(url, port)
        if not ok:
            failed = True
            print(f"ERROR: {name} is not answering at {where} ({var}).", file=sys.stderr)
            print(f"  Start it with: {HOW[name]}", file=sys.stderr)
            print(f"  or point {var} at a running server.", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
