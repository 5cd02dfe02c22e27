#!/usr/bin/env bash
# Serve the portal with a Celery worker and beat; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
# Runtime files (database, broker folders, beat's schedule) go under var/, which the settings create.
pids=()
cleanup() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup INT TERM EXIT
$PY -m celery -A portal worker --loglevel=INFO --concurrency=1 --pool=solo &
pids+=($!)
$PY -m celery -A portal beat --loglevel=INFO &
pids+=($!)
echo "Một Cửa: http://127.0.0.1:${PORT:-8000}/  (Ctrl-C to stop)"
$PY manage.py runserver "127.0.0.1:${PORT:-8000}" &
pids+=($!)
wait -n "${pids[@]}"
