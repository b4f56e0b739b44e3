from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "binjai_portal.accounts"
    label = "accounts"
    verbose_name = _("Akun dan unit kerja")

    def ready(self) -> None:
        from binjai_portal.core import demo

        from .demo import seed as demo_seed

        demo.register("accounts", demo_seed, order=10)
        post_migrate.connect(_sync_roles, dispatch_uid="accounts.roles_sync")

        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_login_failed

        from .backends import lockout_notify_owner, login_failed_count

        user_login_failed.connect(login_failed_count, dispatch_uid="accounts.login_failed")
        user_locked_out.connect(lockout_notify_owner, dispatch_uid="accounts.lockout_notice")


def _sync_roles(sender, app_config=None, using="default", **kwargs):
    """After the last app's permissions exist (post_migrate runs per app, in order)."""
    from django.apps import apps

    from .roles import roles_sync

    if app_config is not None and app_config is list(apps.get_app_configs())[-1]:
        roles_sync(using=using)
