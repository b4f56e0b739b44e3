from django.apps import AppConfig


class DokterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dokter"
    verbose_name = "e-Dokter"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from binjai_portal.core import demo

        from . import services
        from .demo import seed
        from .models import Schedule

        demo.register("dokter", seed, order=50)
        # outbox handlers: BPJS antreanrest and SATUSEHAT
        from .bpjs import outbound as bpjs_outbound  # noqa: F401
        from .satusehat import outbound as satusehat_outbound  # noqa: F401

        # Cache invalidation only: a session's "full" flag goes when its quota may change.
        post_save.connect(services.schedule_changed, sender=Schedule, dispatch_uid="dokter-full")
        post_delete.connect(services.schedule_changed, sender=Schedule, dispatch_uid="dokter-fd")
