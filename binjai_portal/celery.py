"""Celery application: Redis broker, tasks discovered in every app's tasks.py.

The beat schedule lives in settings (CELERY_BEAT_SCHEDULE) so it is declared in code
once. Without REDIS_URL, tasks run eagerly in the calling process.
"""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "binjai_portal.settings")

app = Celery("binjai_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _sweep_outbox_on_start(sender=None, **kwargs):
    """A starting worker looks for deliveries left pending (by a crash, a broker outage).

    Beat's periodic task does the same every minute, but a deployment may run no beat,
    and a crashed worker's messages would otherwise wait for Redis's visibility timeout.
    """
    from binjai_portal.core.broker import enqueue
    from binjai_portal.core.tasks import notification_sweep_task, outbox_send_pending_task

    enqueue(notification_sweep_task)
    enqueue(outbox_send_pending_task)  # integration calls (BPJS, SATUSEHAT) too
