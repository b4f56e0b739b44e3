"""`makemessages` that also finds `_l("…")` and `_lazy("…")`: several modules import
gettext_lazy under those names beside gettext as `_` (figures' labels, registered at
import time; confirmation texts), and xgettext only
knows the names Django passes it, so those strings never reached the catalogue and stayed
Indonesian in English. Django documents this way of adding keywords:
https://docs.djangoproject.com/en/5.2/ref/django-admin/#makemessages ("Customizing")."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l", "--keyword=_lazy"]
