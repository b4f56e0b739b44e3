"""Celery entry points of accounts: they take plain values and call a service."""

from celery import shared_task

from .password_reset import password_reset_mail_write


@shared_task
def password_reset_mail_task(email: str) -> None:
    password_reset_mail_write(email=email)
