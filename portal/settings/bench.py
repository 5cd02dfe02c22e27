"""Benchmark settings: production-like (DEBUG off, PostgreSQL) plus the floor view's URLconf."""

from .local import *  # noqa: F403
from .local import env

DEBUG = False
ROOT_URLCONF = "bench.urls"
DATABASES = {"default": env.db("BENCH_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/motcua_bench")}
DATABASES["default"]["CONN_MAX_AGE"] = 60
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The benchmark measures the lookup, not the limiter: one load generator is one client hitting few codes.
LOOKUP_RATE_PER_CLIENT = env.int("LOOKUP_RATE_PER_CLIENT", default=10**9)
LOOKUP_RATE_PER_CODE = env.int("LOOKUP_RATE_PER_CODE", default=10**9)
