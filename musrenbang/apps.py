from django.apps import AppConfig


def _photo_policy(user, upload) -> bool:
    """Photos of a proposal to whoever may open the proposal (the same selector)."""
    from .selectors import proposal_list_visible

    return proposal_list_visible(user=user).filter(photos=upload).exists()


class MusrenbangConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "musrenbang"
    verbose_name = "e-Musrenbang"

    def ready(self):
        from binjai_portal.core import demo
        from binjai_portal.core.uploads import register_policy

        from .demo import seed
        from .services import PHOTO_PURPOSE

        register_policy(PHOTO_PURPOSE, _photo_policy)
        demo.register("musrenbang", seed, order=50)
