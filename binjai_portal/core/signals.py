"""Cache invalidation only (STYLE.md: signals for side effects the sender must not know)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Closure
from .workdays import closures_changed


@receiver([post_save, post_delete], sender=Closure)
def _closure_changed(**kwargs):
    closures_changed()
