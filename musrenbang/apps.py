from django.apps import AppConfig


def _photo_policy(user, upload) -> bool:
    """Photos of a proposal to whoever may open the proposal (the same selector)."""
    from .selectors import proposal_list_visible

    return proposal_list_visible(user=user).filter(photos=upload).exists()


def _completion_photo_policy(user, upload) -> bool:
    """The completion photo to whoever may open the proposal it shows."""
    from .selectors import proposal_list_visible

    return proposal_list_visible(user=user).filter(funding__completion_photo=upload).exists()


class MusrenbangConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "musrenbang"
    verbose_name = "e-Musrenbang"

    def ready(self):
        from binjai_portal.core import demo
        from binjai_portal.core.uploads import register_policy

        from .demo import seed
        from .services import COMPLETION_PURPOSE, PHOTO_PURPOSE

        register_policy(PHOTO_PURPOSE, _photo_policy)
        register_policy(COMPLETION_PURPOSE, _completion_photo_policy)
        demo.register("musrenbang", seed, order=50)
