import pytest

from portal.celery import app


@pytest.fixture(autouse=True)
def _eager_celery():
    """The reset e-mail is sent by a Celery task; here it runs in-process so tests read mail.outbox."""
    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved
