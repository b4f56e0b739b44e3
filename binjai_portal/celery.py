"""Celery application: Redis broker, tasks discovered in every app's tasks.py.

The beat schedule lives in settings (CELERY_BEAT_SCHEDULE) so it is declared in code
once. Without REDIS_URL, tasks run eagerly in the calling process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "binjai_portal.settings")

app = Celery("binjai_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
