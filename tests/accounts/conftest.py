"""A real Celery worker thread on the real Redis, for what accounts hand to Celery."""

import uuid

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group

from binjai_portal.accounts import roles
from binjai_portal.accounts.tasks import password_reset_mail_task
from binjai_portal.core.tasks import notification_deliver_task


@pytest.fixture(scope="session")
def celery_config():
    if not django_settings.REDIS_URL:
        pytest.fail("REDIS_URL is not set: these tests need a real Redis (run `make test`)")
    return {
        "broker_url": django_settings.CELERY_BROKER_URL,
        "result_backend": django_settings.CELERY_RESULT_BACKEND,
        # A queue of our own: no other test run's worker takes our tasks.
        "task_default_queue": f"test-accounts-{uuid.uuid4().hex[:12]}",
        "broker_connection_timeout": django_settings.CELERY_BROKER_CONNECTION_TIMEOUT,
        "broker_transport_options": django_settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        "task_acks_late": django_settings.CELERY_TASK_ACKS_LATE,
        "worker_prefetch_multiplier": django_settings.CELERY_WORKER_PREFETCH_MULTIPLIER,
    }


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
