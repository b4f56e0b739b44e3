"""Password reset mail, written to the outbox by a Celery task rather than in the request.

The reset page only queues `password_reset_mail_task` with the address typed in, for a
known and an unknown address alike, so both answer in the same time: the lookup, the
token and the outbox row happen in the worker. If the broker cannot take the task, the
page writes the outbox row itself (pending, for the sweeps) rather than lose the mail.
One address receives at most PASSWORD_RESET_MAIL_BUDGET reset mails per window; the link
is built from SITE_URL, never from a request's Host header.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string
from django.utils.translation import override

from binjai_portal.core.budget import Budget
from binjai_portal.core.models import Delivery
from binjai_portal.core.notifications import EMAIL, message_send

SUBJECT_TEMPLATE = "accounts/email/password_reset_subject.txt"
BODY_TEMPLATE = "accounts/email/password_reset_body.txt"


class _OutboxWriter(PasswordResetForm):
    """Django's reset logic (active users with a usable password, the token), whose
    `send_mail` writes an outbox row instead of talking to SMTP."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        with override(user.language):
            subject = "".join(render_to_string(subject_template_name, context).splitlines())
            body = render_to_string(email_template_name, context)
        message_send(
            recipient=user,
            channel=EMAIL,
            address=to_email,
            subject=subject,
            body=body,
            purpose=Delivery.Purpose.PASSWORD_RESET,
            secret=True,
            mail_budget=Budget(
                "password-reset-mail",
                settings.PASSWORD_RESET_MAIL_BUDGET,
                settings.PASSWORD_RESET_MAIL_WINDOW_SECONDS,
            ),
        )


def password_reset_mail_write(*, email: str) -> None:
    """Write a reset mail to the outbox for every account with this address (if any)."""
    form = _OutboxWriter(data={"email": email})
    if not form.is_valid():
        return
    site = urlsplit(settings.SITE_URL)
    form.save(
        domain_override=site.netloc,
        use_https=site.scheme == "https",
        subject_template_name=SUBJECT_TEMPLATE,
        email_template_name=BODY_TEMPLATE,
        extra_email_context={"site_name": settings.SITE_NAME},
    )
