from django.apps import AppConfig


def _photo_policy(user, upload) -> bool:
    """Photos of a public proposal are public; others only to the proposer and officers."""
    from binjai_portal.accounts.scoping import scope_queryset

    from .models import Proposal, Status

    proposals = Proposal.objects.filter(photos=upload)
    if proposals.exclude(status=Status.DRAFT).filter(is_hidden=False).exists():
        return True
    if not user.is_authenticated:
        return False
    return scope_queryset(proposals, user, region_field="kelurahan",
                          owner_field="proposer").exists()


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
