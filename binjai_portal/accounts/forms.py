from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from binjai_portal.core.broker import enqueue
from binjai_portal.core.forms import BoundedDateField
from binjai_portal.core.regions import village_list

from .models import Dependant, Sex, User
from .nik import validate_nik
from .password_reset import password_reset_mail_write
from .phones import normalize_phone

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.parent.name}" if obj.parent_id else obj.name


def village_field(required=True):
    return VillageChoiceField(
        queryset=village_list(),
        label=_("Kelurahan/desa"),
        required=required,
        empty_label=_("— pilih kelurahan —"),
    )


class NikField(forms.CharField):
    default_validators = [validate_nik]

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("NIK"))
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault("min_length", None)
        kwargs.setdefault("help_text", _("16 digit, sesuai KTP/KK."))
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "pattern": r"[0-9]{16}"}
        )

    def to_python(self, value):
        return (super().to_python(value) or "").replace(" ", "")


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Nomor HP"))
        kwargs.setdefault("help_text", _("Contoh: 0812 3456 7890. Untuk SMS/WhatsApp."))
        super().__init__(**kwargs)
        self.widget.input_type = "tel"
        self.widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})

    def clean(self, value):
        value = super().clean(value)
        return normalize_phone(value) if value else value


class RegistrationForm(forms.Form):
    nik = NikField()
    full_name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    birth_date = BoundedDateField(label=_("Tanggal lahir"), widget=DATE_WIDGET)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=Sex.choices, widget=forms.RadioSelect)
    phone = PhoneField()
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Tidak wajib. Diperlukan untuk mengatur ulang kata sandi lewat e-mail."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    kelurahan = village_field()
    address = forms.CharField(
        label=_("Alamat"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    rt = forms.RegexField(
        label=_("RT"),
        regex=r"^[0-9]{1,3}$",
        max_length=3,
        error_messages={"invalid": _("Isi 1 sampai 3 angka.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    rw = forms.RegexField(
        label=_("RW"),
        regex=r"^[0-9]{1,3}$",
        max_length=3,
        error_messages={"invalid": _("Isi 1 sampai 3 angka.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minimal 8 karakter, tidak hanya angka, tidak mirip data diri."),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_(
            "Saya setuju data pribadi saya diproses untuk layanan portal ini "
            "sesuai UU 27/2022 tentang Pelindungan Data Pribadi."
        ),
        error_messages={"required": _("Persetujuan diperlukan untuk mendaftar.")},
    )

    # No "already registered" here: telling a stranger which NIK, phone or e-mail has an
    # account is an enumeration oracle. services.user_register_public tells the owner instead.

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip() or None

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        if p1:
            probe = User(
                nik=data.get("nik", ""),
                full_name=data.get("full_name", ""),
                email=data.get("email"),
            )
            try:
                password_validation.validate_password(p1, probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("NIK, e-mail, atau nomor HP"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "NIK/e-mail/nomor HP atau kata sandi salah. Periksa kembali; "
            "setelah beberapa kali gagal, akun dikunci sementara."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi admin portal."),
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            refusal = getattr(self.request, "login_refusal", None)
            if refusal is not None:  # the address is throttled: say so, not "wrong password"
                raise ValidationError(refusal.message, code="throttled") from None
            raise

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # Django sizes this field to USERNAME_FIELD (the 16-digit NIK); an e-mail is longer.
        self.fields["username"].max_length = 254
        self.fields["username"].widget.attrs["maxlength"] = "254"


class ProfileForm(forms.ModelForm):
    phone = PhoneField()
    kelurahan = village_field()

    class Meta:
        model = User
        fields = ["full_name", "phone", "email", "address", "kelurahan", "rt", "rw", "language"]

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if User.objects.filter(phone=phone).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("Nomor HP ini sudah dipakai akun lain."))
        return phone

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip()
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("E-mail ini sudah dipakai akun lain."))
        return email or None


class DependantForm(forms.ModelForm):
    nik = NikField()

    class Meta:
        model = Dependant
        fields = ["nik", "full_name", "birth_date", "sex", "relation"]
        widgets = {"birth_date": DATE_WIDGET, "sex": forms.RadioSelect}
        field_classes = {"birth_date": BoundedDateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sex"].choices = Sex.choices
        if self.instance.pk:
            # The NIK identifies the person: to change it, remove and add again.
            del self.fields["nik"]

    def _post_clean(self):
        # Model validation happens in the service, which sees the guardian too.
        pass


class AdminLoginForm(LoginForm):
    """The admin's login: the same identifiers, for staff accounts only."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise ValidationError(
                _("Akun ini bukan akun petugas. Masuk lewat halaman portal."), code="not_staff"
            )


class PhoneCodeForm(forms.Form):
    """The code from the verification SMS."""

    code = forms.RegexField(
        label=_("Kode verifikasi"),
        regex=r"^\s*[0-9]{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("Kode terdiri dari 6 angka.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": r"[0-9]{6}"}
        ),
    )


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form whose mail is prepared by Celery (accounts/password_reset.py).

    The request only queues a task with the address, for a known and an unknown address
    alike: no lookup, token or SMTP round trip in the request betrays an account.
    """

    def save(self, **kwargs):
        from .tasks import password_reset_mail_task

        email = self.cleaned_data["email"]
        if not enqueue(password_reset_mail_task, email):
            password_reset_mail_write(email=email)  # broker down: the sweeps send it


class SmsResetRequestForm(forms.Form):
    """The number that should receive a reset code."""

    phone = PhoneField(help_text=_("Nomor HP yang terdaftar dan sudah terverifikasi di akun Anda."))


class SmsResetConfirmForm(forms.Form):
    """The code from the SMS and the new password, twice."""

    code = forms.RegexField(
        label=_("Kode dari SMS"),
        regex=r"^\s*[0-9]{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("Kode terdiri dari 6 angka.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": r"[0-9]{6}"}
        ),
    )
    new_password1 = forms.CharField(
        label=_("Kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("Ulangi kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        one, two = data.get("new_password1"), data.get("new_password2")
        if one and two and one != two:
            self.add_error("new_password2", _("Kedua kata sandi tidak sama."))
        elif one:
            try:
                password_validation.validate_password(one)
            except forms.ValidationError as exc:
                self.add_error("new_password1", exc)
        return data
