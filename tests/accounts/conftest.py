"""A real Celery worker thread on the real Redis, for what accounts hand to Celery."""

import pytest
from django.contrib.auth.models import Group

from binjai_portal.accounts import roles
from binjai_portal.accounts.tasks import password_reset_mail_task
from binjai_portal.core.tasks import notification_deliver_task
from tests.workers import real_worker_config


@pytest.fixture(scope="session")
def celery_config():
    return real_worker_config("accounts")


@pytest.fixture
def worker(transactional_db, celery_app, celery_worker):
    """Committed rows and a worker thread (with its own DB connection) that sees them."""
    assert Group.objects.filter(name=roles.WARGA).exists()
    # Shared tasks resolve to the test app (imported above, so its worker knows them).
    assert password_reset_mail_task.app is celery_app is notification_deliver_task.app
    return celery_worker


@pytest.fixture
def celery_eager():
    """Tasks run in the calling process (as `make run` does), without a broker round trip."""
    app = password_reset_mail_task.app
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
