"""Cache invalidation only (STYLE.md: signals for side effects the sender must not know)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import pagecache
from .models import Closure
from .workdays import closures_changed


@receiver([post_save, post_delete], sender=Closure)
def _closure_changed(**kwargs):
    closures_changed()


def _public_data_changed(sender, **kwargs):
    """A row of a service app changed: its anonymous pages are rebuilt (pagecache.py).

    Services that write with queryset.update() or bulk_create() call
    `pagecache.invalidate()` themselves, since no signal fires for those.
    """
    if not kwargs.get("raw"):
        pagecache.invalidate(sender._meta.app_label, using=kwargs.get("using") or "default")


def connect_page_cache() -> None:
    """Connected per model of the service apps only, so that other models keep Django's
    fast bulk delete (it is off for any model with a delete receiver)."""
    from django.apps import apps

    for label in pagecache.SCOPES:
        for model in apps.get_app_config(label).get_models():
            post_save.connect(
                _public_data_changed,
                sender=model,
                dispatch_uid=f"pagecache-save-{model._meta.label}",
            )
            post_delete.connect(
                _public_data_changed,
                sender=model,
                dispatch_uid=f"pagecache-delete-{model._meta.label}",
            )
