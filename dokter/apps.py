from django.apps import AppConfig


class DokterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dokter"
    verbose_name = "e-Dokter"

    def ready(self):
        from binjai_portal.core import demo

        from .demo import seed

        demo.register("dokter", seed, order=50)
        # outbox handlers: BPJS antreanrest and SATUSEHAT
        from .bpjs import outbound as bpjs_outbound  # noqa: F401
        from .satusehat import outbound as satusehat_outbound  # noqa: F401
