from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.http import require_POST

from binjai_portal.core.forms import add_service_errors
from binjai_portal.core.privacy.services import consent_record_registration
from binjai_portal.core.ratelimits import limit

from . import phone_verification, selectors, services, sms_reset
from .forms import (
    DependantForm,
    LoginForm,
    OutboxPasswordResetForm,
    PhoneCodeForm,
    ProfileForm,
    RegistrationForm,
    SmsResetConfirmForm,
    SmsResetRequestForm,
)


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


@limit("register")
def register(request):
    """Registration answers the same whether or not the NIK, phone or e-mail already has
    an account (the owner is told instead), and is limited per client address; while the
    limiter is down it refuses (fail closed: a new account sends messages)."""
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_register_public(
                nik=data["nik"],
                full_name=data["full_name"],
                birth_date=data["birth_date"],
                sex=data["sex"],
                phone=data["phone"],
                email=data["email"],
                password=data["password1"],
                kelurahan=data["kelurahan"],
                address=data["address"],
                rt=data["rt"],
                rw=data["rw"],
                language=request.LANGUAGE_CODE,
                base_url=_base_url(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if user is not None:  # the consent tick: acceptance of the notice in force
                consent_record_registration(user=user)
            return redirect("accounts:register-done")
    return render(request, "accounts/register.html", {"form": form})


def register_done(request):
    return render(request, "accounts/register_done.html")


def set_language(request):
    """Django's language switch, which also remembers the choice on the account (so the
    user's notifications, e-mail and SMS come in the language they read)."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and check_for_language(language):
        services.user_language_set(user=request.user, language=language)
    return response


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Staff land on their desk (what waits for them in every service); citizens on
        the home page. A `next` that was asked for goes first, for both."""
        user = self.request.user
        if user.is_authenticated and user.is_staff:
            return reverse("core:desk")
        return super().get_default_redirect_url()

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if user.phone and not user.phone_verified_at:
            messages.info(
                self.request,
                _(
                    "Nomor HP Anda belum terverifikasi: verifikasi di profil agar menerima "
                    "pemberitahuan lewat SMS dan dapat mengatur ulang kata sandi tanpa e-mail."
                ),
            )
        # The language the account chose, on this device too.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        refusal = getattr(self.request, "login_refusal", None)
        if refusal is not None:  # the address is throttled (backends.AddressThrottleBackend)
            response.status_code = refusal.status
            response["Retry-After"] = str(refusal.wait)
        return response


# The reset form sends mail: limited per address, refused while the limiter is down.
@method_decorator(limit("password_reset"), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = OutboxPasswordResetForm  # the mail goes out from the outbox, by Celery
    # Our own templates: Django's default e-mail shows the username, which is the NIK.
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


SMS_RESET_SESSION_KEY = "accounts:sms-reset-phone"


@limit("password_reset")
def password_reset_sms(request):
    """Ask for a reset code by SMS; the answer is the same for any number."""
    form = SmsResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        sms_reset.password_reset_sms_start(phone=phone)
        request.session[SMS_RESET_SESSION_KEY] = phone
        return redirect("accounts:password-reset-sms-confirm")
    return render(request, "accounts/password_reset_sms.html", {"form": form})


def password_reset_sms_confirm(request):
    """Type the code from the SMS and the new password."""
    phone = request.session.get(SMS_RESET_SESSION_KEY)
    if not phone:
        return redirect("accounts:password-reset-sms")
    form = SmsResetConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sms_reset.password_reset_sms_confirm(
                phone=phone,
                code=form.cleaned_data["code"],
                password=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            request.session.pop(SMS_RESET_SESSION_KEY, None)
            messages.success(request, _("Kata sandi baru Anda tersimpan. Silakan masuk."))
            return redirect("accounts:login")
    minutes = max(settings.PHONE_OTP_TTL_SECONDS // 60, 1)
    return render(
        request, "accounts/password_reset_sms_confirm.html", {"form": form, "minutes": minutes}
    )


def verify_email(request, uidb64, token):
    User = get_user_model()
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    ok = user is not None and services.user_verify_email(user=user, token=token)
    return render(request, "accounts/verify_email.html", {"ok": ok}, status=200 if ok else 400)


@login_required
@require_POST
def resend_verification(request):
    if request.user.email and not request.user.email_verified:
        services.user_resend_verification(user=request.user, base_url=_base_url(request))
        messages.info(request, _("Tautan verifikasi baru telah dikirim ke e-mail Anda."))
    return redirect("accounts:profile")


@login_required
def profile(request):
    return render(
        request,
        "accounts/profile.html",
        {
            "dependants": selectors.dependant_list_for_user(user=request.user),
        },
    )


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_profile_update(
                user=request.user,
                base_url=_base_url(request),
                **{f: form.cleaned_data[f] for f in form.Meta.fields},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Profil Anda telah diperbarui."))
            response = redirect("accounts:profile")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, request.user.language, samesite="Lax"
            )
            return response
    return render(request, "accounts/profile_edit.html", {"form": form})


@login_required
def dependant_create(request):
    form = DependantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dependant_create(guardian=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Anggota keluarga ditambahkan."))
            return redirect("accounts:profile")
    return render(request, "accounts/dependant_form.html", {"form": form})


@login_required
def dependant_edit(request, pk: int):
    dependant = selectors.dependant_get_for_user(user=request.user, pk=pk)
    form = DependantForm(request.POST or None, instance=dependant)
    if request.method == "POST" and form.is_valid():
        try:
            services.dependant_update(dependant=dependant, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Data anggota keluarga diperbarui."))
            return redirect("accounts:profile")
    return render(request, "accounts/dependant_form.html", {"form": form, "dependant": dependant})


@login_required
@require_POST
def dependant_delete(request, pk: int):
    dependant = selectors.dependant_get_for_user(user=request.user, pk=pk)
    try:
        services.dependant_delete(dependant=dependant)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Anggota keluarga dihapus."))
    return redirect("accounts:profile")


# PHONE NUMBER VERIFICATION


@login_required
def phone_verify(request):
    """Ask for a code by SMS, then type it in; only a verified number receives SMS."""
    form = PhoneCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phone_verification.phone_verification_confirm(
                user=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Nomor HP Anda terverifikasi. Pemberitahuan kini juga dikirim lewat SMS."),
            )
            return redirect("accounts:profile")
    return render(request, "accounts/phone_verify.html", {"form": form})


@login_required
@require_POST
def phone_verify_send(request):
    try:
        delivery = phone_verification.phone_verification_start(user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if delivery.status == delivery.Status.SKIPPED:
            messages.error(
                request,
                _("Kode belum dapat dikirim: batas pengiriman SMS tercapai. Coba lagi nanti."),
            )
        else:
            messages.info(
                request, _("Kode verifikasi dikirim ke %(phone)s.") % {"phone": request.user.phone}
            )
    return redirect("accounts:phone-verify")
