from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MasyarakatConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "masyarakat"
    verbose_name = _("e-Masyarakat")

    def ready(self) -> None:
        from binjai_portal.core import demo
        from binjai_portal.core.uploads import register_policy

        from . import policies

        register_policy("masyarakat.photo", policies.photo_visible)
        register_policy("masyarakat.resolution", policies.resolution_visible)
        self._connect_reference()

        def seed(log):
            from .demo import seed as run

            run(log)

        demo.register("masyarakat", seed, order=50)

    def _connect_reference(self) -> None:
        """The reference memo (selectors.reference) follows its categories and regions."""
        from django.db.models.signals import post_delete, post_save

        from binjai_portal.core.models import Region

        from .models import Category
        from .selectors import reference_changed

        for model in (Category, Region):
            for signal in (post_save, post_delete):
                signal.connect(
                    reference_changed,
                    sender=model,
                    dispatch_uid=f"masyarakat-reference-{signal is post_save}-{model._meta.label}",
                )
