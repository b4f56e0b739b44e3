from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("daftar/", views.register, name="register"),
    path("daftar/terkirim/", views.register_done, name="register-done"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("lupa-sandi/", views.PasswordResetView.as_view(), name="password-reset"),
    path("lupa-sandi/sms/", views.password_reset_sms, name="password-reset-sms"),
    path(
        "lupa-sandi/sms/kode/",
        views.password_reset_sms_confirm,
        name="password-reset-sms-confirm",
    ),
    path("lupa-sandi/terkirim/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "atur-sandi/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "atur-sandi/selesai/",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("verifikasi-email/<uidb64>/<token>/", views.verify_email, name="verify-email"),
    path("verifikasi-email/kirim-ulang/", views.resend_verification, name="resend-verification"),
    path("profil/", views.profile, name="profile"),
    path("profil/ubah/", views.profile_edit, name="profile-edit"),
    path("profil/verifikasi-nomor/", views.phone_verify, name="phone-verify"),
    path("profil/verifikasi-nomor/kirim/", views.phone_verify_send, name="phone-verify-send"),
    path("keluarga/tambah/", views.dependant_create, name="dependant-create"),
    path("keluarga/<int:pk>/ubah/", views.dependant_edit, name="dependant-edit"),
    path("keluarga/<int:pk>/hapus/", views.dependant_delete, name="dependant-delete"),
]
