"""Writes to accounts: registration, profile, e-mail verification, dependants."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import override

from binjai_portal.core.models import Region
from binjai_portal.core.notifications import Text, notify

from . import roles
from .models import Dependant, User
from .nik import nik_check_matches
from .tokens import email_verification_token


def _check_identity(*, nik: str, birth_date: datetime.date, sex: str) -> None:
    """The NIK agrees with the birth date and sex, and nobody is born after today
    (checked here so that registration, the profile and dependants all refuse it)."""
    errors = nik_check_matches(nik, birth_date=birth_date, sex=sex)
    if birth_date and birth_date > timezone.localdate():
        errors = dict(errors or {})
        errors["birth_date"] = ValidationError(
            _("Tanggal lahir tidak boleh di masa depan."), code="birth_date_future"
        )
    if errors:
        raise ValidationError(errors)


def _send_verification_email(*, user_id: int, base_url: str) -> None:
    user = User.objects.get(pk=user_id)
    if not user.email or user.email_verified:
        return
    path = reverse(
        "accounts:verify-email",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": email_verification_token.make_token(user),
        },
    )
    with override(user.language):
        # The message names the person, never their NIK (UU 27/2022).
        url = base_url.rstrip("/") + path
        context = {"user": user, "url": url, "site_name": settings.SITE_NAME}
        subject = render_to_string("accounts/email/verify_subject.txt", context).strip()
        body = render_to_string("accounts/email/verify_body.txt", context)
    send_mail(subject, body, None, [user.email])


def _holders(*, nik: str, phone: str, email: str | None) -> dict[User, list]:
    """The accounts that already hold one of these identifiers, with what they hold."""
    match = Q(nik=nik) | Q(phone=phone)
    if email:
        match |= Q(email__iexact=email)
    holders: dict[User, list] = {}
    for user in User.objects.filter(match):
        if user.nik == nik:
            holders.setdefault(user, []).append(_l("NIK"))
        if user.phone == phone:
            holders.setdefault(user, []).append(_l("nomor HP"))
        if email and (user.email or "").lower() == email.lower():
            holders.setdefault(user, []).append(_l("e-mail"))
    return holders


def _notify_registration_attempt(holders: dict[User, list]) -> None:
    for user, what in holders.items():
        # "NIK, nomor HP": each item translated for the reader, joined with commas.
        listed = Text(
            ", ".join(f"%(w{i})s" for i in range(len(what))),
            **{f"w{i}": w for i, w in enumerate(what)},
        )
        notify(
            recipient=user,
            title=Text(_l("Ada yang mencoba mendaftar dengan data Anda")),
            body=Text(
                _l(
                    "Seseorang mencoba membuat akun baru dengan %(what)s yang sudah terdaftar "
                    "di akun Anda. Tidak ada akun baru yang dibuat. Bila itu Anda, masuk "
                    "dengan akun ini atau atur ulang kata sandi. Bila bukan, Anda tidak perlu "
                    "berbuat apa-apa."
                ),
                what=listed,
            ),
            url=reverse("accounts:password-reset"),
            channels=(),  # the inbox only: an SMS per stranger's attempt costs money
        )


@transaction.atomic
def user_register(
    *,
    nik: str,
    full_name: str,
    birth_date: datetime.date,
    sex: str,
    phone: str,
    password: str,
    kelurahan: Region,
    address: str = "",
    rt: str = "",
    rw: str = "",
    email: str | None = None,
    language: str = "id",
    base_url: str = "",
) -> User:
    """Create a citizen account; a taken NIK, phone or e-mail is a ValidationError.

    For staff tools, demo data and scripts. The public registration page uses
    `user_register_public`, which never says that an identifier is taken.
    """
    _check_identity(nik=nik, birth_date=birth_date, sex=sex)
    user = User(
        nik=nik,
        full_name=full_name.strip(),
        birth_date=birth_date,
        sex=sex,
        phone=phone,
        email=(email or "").strip() or None,
        address=address,
        kelurahan=kelurahan,
        rt=rt,
        rw=rw,
        language=language,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=roles.WARGA))
    if user.email and base_url:
        transaction.on_commit(lambda: _send_verification_email(user_id=user.pk, base_url=base_url))
    return user


@transaction.atomic
def user_register_public(
    *, nik: str, phone: str, password: str, email: str | None = None, **fields
) -> User | None:
    """Registration by a stranger: create the account, or, when the NIK, phone or e-mail
    already belongs to an account, create nothing and tell that account's owner in their
    inbox. Returns None then; the caller answers exactly as for a new account, so
    registering cannot be used to learn whether somebody has an account.
    """
    # The same checks of the input first, taken or not: a difference would be an oracle.
    _check_identity(nik=nik, birth_date=fields["birth_date"], sex=fields["sex"])
    email = (email or "").strip() or None
    holders = _holders(nik=nik, phone=phone, email=email)
    if not holders:
        try:
            with transaction.atomic():  # a savepoint: a concurrent registration may win
                return user_register(nik=nik, phone=phone, password=password, email=email, **fields)
        except (ValidationError, IntegrityError):
            holders = _holders(nik=nik, phone=phone, email=email)
            if not holders:
                raise
    User().set_password(password)  # the same hashing work as a new account
    _notify_registration_attempt(holders)
    return None


PROFILE_FIELDS = ("full_name", "phone", "email", "address", "kelurahan", "rt", "rw", "language")


@transaction.atomic
def user_profile_update(*, user: User, base_url: str = "", **changes) -> User:
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    # Compare with what is stored: a ModelForm may already have set the new value on `user`.
    stored_email, stored_phone = User.objects.filter(pk=user.pk).values_list("email", "phone").get()
    changes["email"] = changes.get("email", user.email) or None
    email_changed = (changes["email"] or "").lower() != (stored_email or "").lower()
    for field, value in changes.items():
        setattr(user, field, value)
    update_fields = list(changes)
    if email_changed:
        user.email_verified = False
        update_fields.append("email_verified")
    if (user.phone or None) != (stored_phone or None):
        # A new number receives no SMS until its owner proves it with a code.
        user.phone_verified_at = None
        update_fields.append("phone_verified_at")
    user.full_clean()
    user.save(update_fields=update_fields)
    if email_changed and user.email and base_url:
        transaction.on_commit(lambda: _send_verification_email(user_id=user.pk, base_url=base_url))
    return user


@transaction.atomic
def user_language_set(*, user: User, language: str) -> User:
    """Remember the language the user chose (the ID/EN switch): notifications, e-mail and
    SMS are written to them in it."""
    if language not in dict(settings.LANGUAGES) or user.language == language:
        return user
    user.language = language
    user.save(update_fields=["language"])
    return user


def user_resend_verification(*, user: User, base_url: str) -> None:
    _send_verification_email(user_id=user.pk, base_url=base_url)


@transaction.atomic
def user_verify_email(*, user: User, token: str) -> bool:
    if not user.email or not email_verification_token.check_token(user, token):
        return False
    user.email_verified = True
    user.save(update_fields=["email_verified"])
    return True


@transaction.atomic
def dependant_create(
    *,
    guardian: User,
    nik: str,
    full_name: str,
    birth_date: datetime.date,
    sex: str,
    relation: str,
) -> Dependant:
    _check_identity(nik=nik, birth_date=birth_date, sex=sex)
    if nik == guardian.nik:
        raise ValidationError({"nik": _("NIK anggota keluarga tidak boleh sama dengan NIK Anda.")})
    dependant = Dependant(
        guardian=guardian,
        nik=nik,
        full_name=full_name.strip(),
        birth_date=birth_date,
        sex=sex,
        relation=relation,
    )
    dependant.full_clean()
    dependant.save()
    return dependant


@transaction.atomic
def dependant_update(
    *,
    dependant: Dependant,
    full_name: str,
    birth_date: datetime.date,
    sex: str,
    relation: str,
) -> Dependant:
    _check_identity(nik=dependant.nik, birth_date=birth_date, sex=sex)
    dependant.full_name, dependant.birth_date = full_name.strip(), birth_date
    dependant.sex, dependant.relation = sex, relation
    dependant.full_clean()
    dependant.save(update_fields=["full_name", "birth_date", "sex", "relation"])
    return dependant


@transaction.atomic
def dependant_delete(*, dependant: Dependant) -> None:
    """A family member with visits on record stays: the visits are health records that
    must keep their patient (the FK protects them)."""
    try:
        with transaction.atomic():
            dependant.delete()
    except ProtectedError:
        raise ValidationError(
            _("Anggota keluarga ini sudah punya riwayat layanan dan tidak dapat dihapus.")
        ) from None


@transaction.atomic
def staff_assign(*, user: User, role_slugs: list[str], unit=None) -> User:
    """Give a user staff roles (and a unit when a role needs one)."""
    needed = {roles.role_of(s).unit_kind for s in role_slugs} - {None}
    if needed and (unit is None or unit.kind not in needed):
        raise ValidationError(
            {"unit": _("Peran ini membutuhkan unit berjenis %s.") % ", ".join(sorted(needed))}
        )
    user.groups.set(Group.objects.filter(name__in=role_slugs))
    user.unit = unit
    user.is_staff = any(roles.role_of(s).is_staff for s in role_slugs)
    user.save(update_fields=["unit", "is_staff"])
    user.__dict__.pop("role_slugs", None)  # the cached roles are stale now
    return user
