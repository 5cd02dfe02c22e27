"""Settings of the worker and beat subprocesses the integration tests start: the test settings (the test
database and Redis come from the environment) with deliveries written to files."""

from portal.settings.test import *  # noqa: F403

EMAIL_BACKEND = "tests.monitoring.mailbox.EmailBackend"
