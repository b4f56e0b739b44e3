"""The Celery settings of a test's own real worker on Redis (the suite's `celery_config`
fixtures): the project's broker settings, on a queue of the test module's own, so a
worker of another test run on the same Redis never takes its tasks (it would look for the
rows in its own database)."""

import uuid

import pytest
from django.conf import settings as django_settings


def real_worker_config(name: str) -> dict:
    if not django_settings.REDIS_URL:
        pytest.fail("needs REDIS_URL: these tests talk to a real Redis")
    return {
        "broker_url": django_settings.CELERY_BROKER_URL,
        "result_backend": django_settings.CELERY_RESULT_BACKEND,
        "task_default_queue": f"test-{name}-{uuid.uuid4().hex[:12]}",
        "broker_connection_timeout": django_settings.CELERY_BROKER_CONNECTION_TIMEOUT,
        "broker_transport_options": django_settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        "task_acks_late": django_settings.CELERY_TASK_ACKS_LATE,
        "worker_prefetch_multiplier": django_settings.CELERY_WORKER_PREFETCH_MULTIPLIER,
    }
