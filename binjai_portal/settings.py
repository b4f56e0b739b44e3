"""Settings of the Binjai Smart City portal.

Every setting is declared once and varies only through environment variables
(django-environ, https://django-environ.readthedocs.io/). With nothing set, the
portal runs on embedded defaults: SQLite, Celery eager, local-memory cache,
console e-mail.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

from binjai_portal import region_defaults

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# GENERAL
# https://docs.djangoproject.com/en/5.2/ref/settings/#core-settings
# Off unless asked for (`make run` sets DEBUG=1): an image started without settings is
# never in debug mode, and then it needs a real SECRET_KEY.
DEBUG = env.bool("DEBUG", default=False)
_DEV_SECRET = "django-insecure-dev-only-key-never-used-with-debug-off"
SECRET_KEY = env("SECRET_KEY", default=_DEV_SECRET if DEBUG else None)
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
# The fake bank gateway and /bench/baseline exist only for the tests and benchmarks that
# switch them on; a production deployment that selects the fake gateway fails its checks.
ENABLE_TEST_ENDPOINTS = env.bool("ENABLE_TEST_ENDPOINTS", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
ROOT_URLCONF = "binjai_portal.urls"
WSGI_APPLICATION = "binjai_portal.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SITE_ID = 1

# THE REGION THIS PORTAL SERVES
# Any of Indonesia's regencies and cities deploys the portal by configuration.
# The region's and the portal's names follow from REGION_CODE (the national Kemendagri
# file, binjai_portal/region_defaults.py) unless set.
REGION_CODE = env("REGION_CODE", default="12.75")
REGION_NAME = env("REGION_NAME", default="") or region_defaults.region_name(REGION_CODE)
# Every other region-specific default follows from the code and the name.
_REGION = region_defaults.region_settings(REGION_CODE, REGION_NAME)
SITE_NAME = env("SITE_NAME", default="") or _REGION["SITE_NAME"]
# The command center's name: "Binjai Command Center" for Kota Binjai.
COMMAND_CENTER_NAME = env("COMMAND_CENTER_NAME", default="") or _REGION["COMMAND_CENTER_NAME"]
# ISO 3166-2 code of the region's province (ID-SU for Sumatera Utara), for open data.
REGION_ISO_3166_2 = env("REGION_ISO_3166_2", default="") or _REGION["REGION_ISO_3166_2"]
# The government's domain (binjaikota.go.id): contact and sender addresses, FHIR system URIs
# and the demo accounts' e-mail (demo.<domain>) follow from it.
REGION_DOMAIN = env("REGION_DOMAIN", default="") or _REGION["REGION_DOMAIN"]
REGION_SLUG = _REGION["REGION_SLUG"]  # in file names: apbd-kota-binjai-2027-murni
DEMO_EMAIL_DOMAIN = f"demo.{REGION_DOMAIN}"
# Public address used in e-mail and SMS links, e.g. https://smartcity.binjaikota.go.id
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
REGION_LOGO = env("REGION_LOGO", default="img/logo.svg")  # path under static/
# The region's emblem on official documents (permit certificates): a PNG or JPEG, absolute
# or under static/; empty: no logo on the letterhead.
REGION_LETTERHEAD_LOGO = env("REGION_LETTERHEAD_LOGO", default="")
CONTACT_EMAIL = env("CONTACT_EMAIL", default=f"layanan@{REGION_DOMAIN}")
CONTACT_PHONE = env("CONTACT_PHONE", default="")
CONTACT_ADDRESS = env("CONTACT_ADDRESS", default="")
# Where maps open (lat, lng) and the region's bounding box (south, west, north, east):
# drawn as a reference frame when map tiles cannot load (offline).
MAP_CENTER = env.list("MAP_CENTER", cast=float, default=[3.6, 98.485])
MAP_BOUNDS = env.list("MAP_BOUNDS", cast=float, default=[3.53, 98.44, 3.67, 98.53])

# APPS
INSTALLED_APPS = [
    "modeltranslation",  # before the admin (its docs): English fields beside officer-entered names
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "axes",
    "simple_history",
    "csp",
    # django-rules: imports every app's rules.py, where its permissions are declared.
    "rules.apps.AutodiscoverRulesConfig",
    "binjai_portal.core",
    "binjai_portal.accounts",
    "binjai_portal.core.privacy",  # UU 27/2022: records, consent, access log, retention
    "binjai_portal.core.billing",
    "musrenbang",
    "masyarakat",
    "dokter",
    "perizinan",
    "budgeting",
    "command_center",
]

MIDDLEWARE = [
    # First: every later part (axes, throttles, logs) reads the real client address.
    "binjai_portal.core.clientip.ClientAddressMiddleware",
    # Then refuse control characters and oversized bodies before anything reads them.
    "binjai_portal.core.middleware.RequestGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "binjai_portal.core.middleware.IndonesianFirstMiddleware",
    # An anonymous visitor's cached public page, before sessions, CSRF, locale and auth
    # (core/pagecache.py); after the security headers, CSP and static files.
    "binjai_portal.core.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "binjai_portal.core.privacy.middleware.PrivacyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "binjai_portal.core.context_processors.portal",
            ],
        },
    },
]

# DATABASES
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# CACHES AND CELERY
# https://docs.djangoproject.com/en/5.2/topics/cache/#redis
# https://docs.celeryq.dev/en/stable/django/first-steps-with-django.html
REDIS_URL = env("REDIS_URL", default="")
# The cache may live in its own Redis database (or server, with an eviction policy):
# clearing or evicting the cache must never drop queued tasks.
CACHE_URL = env("CACHE_URL", default=REDIS_URL)
# A Redis outage degrades to no cache (binjai_portal/core/cache.py), never to a 500.
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "binjai_portal.core.cache.DegradingRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="binjai"),
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Anonymous visitors' public pages from the cache (binjai_portal/core/pagecache.py); off
# only to measure the pages' uncached cost (bench/load.py).
PAGECACHE_ENABLED = env.bool("PAGECACHE_ENABLED", default=True)
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
# Without a broker, tasks run in the calling process (make run's embedded default).
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# socket_connect_timeout: an unreachable Redis must not hold a web request for minutes.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2}
CELERY_TIMEZONE = "Asia/Jakarta"
CELERY_BEAT_SCHEDULE = {
    # Outbound integration calls (BPJS, SATUSEHAT): what the broker did not take.
    "outbox-send-pending": {
        "task": "binjai_portal.core.tasks.outbox_send_pending_task",
        "schedule": timedelta(minutes=1),
    },
    # UU 27/2022: anonymise or delete personal data whose retention period ended.
    "privacy-retention": {
        "task": "binjai_portal.core.privacy.tasks.retention_run_task",
        "schedule": crontab(hour=2, minute=15),
    },
    # Deliver whatever is still pending: a broker outage delays notifications, never loses them.
    "deliver-pending-notifications": {
        "task": "binjai_portal.core.tasks.notification_deliver_pending_task",
        "schedule": timedelta(minutes=1),
    },
    # e-Perizinan: Binjai's rule, overdue files reported to the Inspectorate.
    "perizinan-sla-overdue": {
        "task": "perizinan.tasks.sla_report_overdue_task",
        "schedule": crontab(hour="7-17", minute=0),
    },
    "perizinan-sla-reminders": {
        "task": "perizinan.tasks.sla_send_reminders_task",
        "schedule": crontab(hour=7, minute=30),
    },
    # e-Masyarakat: SLA reminders and escalations, auto-close after 7 days.
    "masyarakat-sla-check": {
        "task": "masyarakat.tasks.ticket_sla_check_task",
        "schedule": crontab(minute=0, hour="7-17"),
    },
    "masyarakat-auto-close": {
        "task": "masyarakat.tasks.ticket_auto_close_task",
        "schedule": crontab(minute=30, hour=1),
    },
    # e-Dokter: close the day's queues, remind tomorrow's patients.
    "dokter-close-day": {
        "task": "dokter.tasks.queue_close_day_task",
        "schedule": crontab(hour=23, minute=30),
    },
    "dokter-remind-bookings": {
        "task": "dokter.tasks.booking_remind_task",
        "schedule": crontab(hour=18, minute=0),
    },
    # Command center: alerts, daily snapshots of every figure, the weekly digest.
    "command-center-alerts": {
        "task": "command_center.tasks.alerts_evaluate_task",
        "schedule": crontab(minute="*/5"),
    },
    # Dashboards are served from the stored copy this keeps fresh (command_center.dashboards).
    "command-center-dashboards": {
        "task": "command_center.tasks.dashboards_refresh_task",
        "schedule": timedelta(minutes=1),
    },
    "command-center-wall": {
        "task": "command_center.tasks.dashboards_refresh_task",
        "schedule": timedelta(seconds=15),
        "args": (["wall"],),
    },
    "command-center-snapshot": {
        "task": "command_center.tasks.snapshot_take_task",
        "schedule": crontab(hour=0, minute=30),
    },
    # Billing: expire unpaid bills; compare yesterday's bank settlement file with the bills.
    "billing-expire": {
        "task": "binjai_portal.core.billing.tasks.bill_expire_due_task",
        "schedule": crontab(minute=15),
    },
    "billing-reconcile": {
        "task": "binjai_portal.core.billing.tasks.reconciliation_run_task",
        "schedule": crontab(hour=6, minute=0),
    },
    "command-center-digest": {
        "task": "command_center.tasks.digest_send_task",
        "schedule": crontab(day_of_week="mon", hour=7, minute=0),
    },
    "clear-expired-sessions": {
        "task": "binjai_portal.core.tasks.session_clear_expired_task",
        "schedule": crontab(hour=2, minute=30),
    },
}

# AUTHENTICATION
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: an address that failed too often over many accounts is refused outright.
    "binjai_portal.accounts.backends.AddressThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    "binjai_portal.accounts.backends.IdentifierBackend",
    # user.has_perm("app.verb_object", obj) also answers the rules of each app's rules.py.
    "rules.permissions.ObjectPermissionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# Lock the account *from one client address*: five wrong passwords from an attacker's
# address lock that address out of that account, while the owner, from their own phone,
# still logs in. A per-address-only lockout would shut out whole neighbourhoods behind a
# carrier-grade NAT; a per-account-only one lets anybody lock any citizen out at will.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The login identifier may be a NIK: axes stores and logs a pseudonym instead. NIK, e-mail
# and phone of one account give the same pseudonym, so the lock holds whichever is typed.
AXES_USERNAME_CALLABLE = "binjai_portal.accounts.backends.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# REMOTE_ADDR is the real client: ClientAddressMiddleware resolved it from TRUSTED_PROXIES.
AXES_CLIENT_IP_CALLABLE = "binjai_portal.core.clientip.client_ip"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# CLIENT ADDRESS
# The reverse proxies (addresses or CIDR networks) whose X-Forwarded-For we believe, e.g.
# "10.0.0.0/8" or "127.0.0.1". Empty: REMOTE_ADDR is the client (no proxy in front).
# See binjai_portal/core/clientip.py; axes, rate limits, DRF and the logs all use it.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# RATE LIMITS
# https://django-ratelimit.readthedocs.io/en/stable/rates.html
# "count/period" per client address (or per user or token where named); the period is
# s, m, h or d, optionally with a multiplier ("30/15m"); an empty value switches a limit
# off. Counters are atomic increments in the cache (Redis). binjai_portal/core/ratelimits.py
# applies them; when the cache is down, reads go on and message-sending writes are refused.
RATELIMIT_ENABLE = env.bool("RATE_LIMITS_ENABLED", default=True)
RATELIMIT_USE_CACHE = "default"
RATE_LIMITS = {
    # failed logins per address, over all accounts (a password sprayer)
    "login_address": env("RATE_LOGIN_ADDRESS", default="30/15m"),
    "register": env("RATE_REGISTER", default="5/h"),
    "password_reset": env("RATE_PASSWORD_RESET", default="5/h"),
    "complaint_user": env("RATE_COMPLAINT_USER", default="10/h"),
    "complaint_address": env("RATE_COMPLAINT_ADDRESS", default="30/h"),
    # reports without an account per address, and follow-page lookups of them
    "complaint_anonymous": env("RATE_COMPLAINT_ANONYMOUS", default="5/h"),
    "complaint_track": env("RATE_COMPLAINT_TRACK", default="20/h"),
    "permit_track": env("RATE_PERMIT_TRACK", default="20/h"),
    "open_data": env("RATE_OPEN_DATA", default="60/m"),
    "api_anon": env("API_RATE_ANON", default="120/minute"),
    "api_user": env("API_RATE_USER", default="300/minute"),
    "open311_post": env("RATE_OPEN311_POST", default="30/h"),
    "dokter_api_address": env("RATE_DOKTER_API_ADDRESS", default="120/m"),
    "dokter_api_token": env("RATE_DOKTER_API_TOKEN", default="600/m"),
    # Mobile JKN's WS Antrean (called by BPJS's servers): token requests and calls per
    # x-username and address; the call rate leaves room for the 07:00 rush.
    "jkn_token": env("RATE_JKN_TOKEN", default="30/m"),
    "jkn_call": env("RATE_JKN_CALL", default="3000/m"),
}

# API
# https://www.django-rest-framework.org/api-guide/settings/
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # REMOTE_ADDR is already the real client (ClientAddressMiddleware): never read XFF.
    "NUM_PROXIES": 0,
    # The portal's APIs use binjai_portal.core.ratelimits.RateThrottle (atomic counters,
    # rates in RATE_LIMITS); these rates are for DRF's own throttles, should a view use one.
    "DEFAULT_THROTTLE_RATES": {"anon": RATE_LIMITS["api_anon"], "user": RATE_LIMITS["api_user"]},
}

# INTERNATIONALISATION
# https://docs.djangoproject.com/en/5.2/topics/i18n/
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Names officers enter (units, complaint categories, permit types, bidang) get an English
# field beside the Indonesian one; English readers fall back to Indonesian where it is empty.
# https://django-modeltranslation.readthedocs.io/en/latest/registration.html
MODELTRANSLATION_DEFAULT_LANGUAGE = "id"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("id",)
MODELTRANSLATION_AUTO_POPULATE = "default"  # a new row's name is Indonesian, whoever types it
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# STATIC AND MEDIA
# https://whitenoise.readthedocs.io/en/stable/django.html
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# Uploads live outside the web root and are served only through views that check rights.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "uploads")
# Never routed: files are served only by core:upload, which checks who asks.
MEDIA_URL = "/_uploads-not-public/"
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
# A request body is refused (413) from its Content-Length before it is read: views that
# take files (core.middleware.accepts_uploads) allow their files plus this much for
# fields; every other request this much in all.
# https://docs.djangoproject.com/en/5.2/ref/settings/#data-upload-max-memory-size
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# E-MAIL AND SMS
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-email-url
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default=f"{SITE_NAME} <noreply@{REGION_DOMAIN}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_BACKEND = env("SMS_BACKEND", default="binjai_portal.core.sms.LogSmsBackend")
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN", default="")
# Seconds the gateway backend waits for an answer; a slower gateway is retried later with
# the same Idempotency-Key (see binjai_portal/core/sms.py for the contract).
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=10)

# OUTBOX (binjai_portal/core/notifications.py)
# A sender claims a delivery for this long before it calls SMTP or the gateway; a sender
# that crashed loses its claim after it and another one retries with the same key. Keep it
# well above SMS_GATEWAY_TIMEOUT and EMAIL_TIMEOUT.
DELIVERY_LEASE_SECONDS = env.int("DELIVERY_LEASE_SECONDS", default=120)
# First retry delay after a failed send; it doubles per attempt, capped at 30 minutes.
DELIVERY_RETRY_BASE_SECONDS = env.int("DELIVERY_RETRY_BASE_SECONDS", default=30)
# Outbound integration calls (binjai_portal/core/outbox.py): first retry after this.
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=30)

# NATIONAL HEALTH SYSTEMS (dokter/bpjs, dokter/satusehat; credentials per facility in the admin)
# https://apijkn.bpjs-kesehatan.go.id/antreanrs (production), simulators/bpjs in development.
BPJS_ANTREAN_URL = env("BPJS_ANTREAN_URL", default="http://127.0.0.1:8031/antreanrs")
BPJS_TIMEOUT = env.float("BPJS_TIMEOUT", default=10)
BPJS_WS_TOKEN_SECONDS = env.int("BPJS_WS_TOKEN_SECONDS", default=3600)
# https://api-satusehat.kemkes.go.id (production), simulators/satusehat in development.
SATUSEHAT_AUTH_URL = env("SATUSEHAT_AUTH_URL", default="http://127.0.0.1:8032/oauth2/v1")
SATUSEHAT_FHIR_URL = env("SATUSEHAT_FHIR_URL", default="http://127.0.0.1:8032/fhir-r4/v1")
SATUSEHAT_TIMEOUT = env.float("SATUSEHAT_TIMEOUT", default=10)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# SMS AND E-MAIL BUDGETS
# Each SMS (notification copies and verification codes alike) takes one unit from three
# budgets per window: the number it goes to, the account it is for and the client address
# of the request that caused it. Over any of them the message stays in the in-app inbox
# (the delivery is recorded as skipped). The counters live in the cache (Redis); when it is
# unreachable no SMS is sent.
SMS_BUDGET_WINDOW_SECONDS = env.int("SMS_BUDGET_WINDOW_SECONDS", default=3600)
SMS_BUDGET_PER_NUMBER = env.int("SMS_BUDGET_PER_NUMBER", default=5)
SMS_BUDGET_PER_ACCOUNT = env.int("SMS_BUDGET_PER_ACCOUNT", default=8)
# Generous: many citizens share one carrier-grade NAT address.
SMS_BUDGET_PER_CLIENT = env.int("SMS_BUDGET_PER_CLIENT", default=20)
# Password reset e-mails to one address per window.
PASSWORD_RESET_MAIL_BUDGET = env.int("PASSWORD_RESET_MAIL_BUDGET", default=3)
PASSWORD_RESET_MAIL_WINDOW_SECONDS = env.int("PASSWORD_RESET_MAIL_WINDOW_SECONDS", default=3600)

# PHONE VERIFICATION (binjai_portal/accounts/phone_verification.py)
PHONE_OTP_TTL_SECONDS = env.int("PHONE_OTP_TTL_SECONDS", default=600)
PHONE_OTP_MAX_ATTEMPTS = env.int("PHONE_OTP_MAX_ATTEMPTS", default=5)
PHONE_OTP_RESEND_SECONDS = env.int("PHONE_OTP_RESEND_SECONDS", default=60)
PHONE_OTP_MAX_PER_DAY = env.int("PHONE_OTP_MAX_PER_DAY", default=5)

# E-PERIZINAN
# The levy's payment gateway (dotted path), see perizinan/payments.py.
PERIZINAN_PAYMENT_GATEWAY = env(
    "PERIZINAN_PAYMENT_GATEWAY", default="perizinan.payments.ManualGateway"
)

# BILLING (levies: kode bayar, SNAP BI virtual account, QRIS), see README "Bank".
# https://apidevportal.aspi-indonesia.or.id/api-services/transfer-kredit/virtual-account
BILLING_BILL_DAYS = env.int("BILLING_BILL_DAYS", default=7)  # calendar days to pay
BILLING_COLLECTOR_NAME = env("BILLING_COLLECTOR_NAME", default="Bank Sumut")
# The bank (SNAP client): its X-PARTNER-ID / X-CLIENT-KEY, RSA public key (PEM, or a file),
# the shared client secret of the symmetric signature, and our biller code.
BILLING_SNAP_PARTNER_ID = env("BILLING_SNAP_PARTNER_ID", default="")
BILLING_SNAP_CLIENT_ID = env("BILLING_SNAP_CLIENT_ID", default="")
BILLING_SNAP_CLIENT_PUBLIC_KEY = env("BILLING_SNAP_CLIENT_PUBLIC_KEY", default="")
BILLING_SNAP_CLIENT_PUBLIC_KEY_FILE = env("BILLING_SNAP_CLIENT_PUBLIC_KEY_FILE", default="")
BILLING_SNAP_CLIENT_SECRET = env("BILLING_SNAP_CLIENT_SECRET", default="")
BILLING_SNAP_PARTNER_SERVICE_ID = env("BILLING_SNAP_PARTNER_SERVICE_ID", default="")
BILLING_SNAP_TOKEN_SECONDS = env.int("BILLING_SNAP_TOKEN_SECONDS", default=900)
BILLING_SNAP_TIMESTAMP_TOLERANCE = env.int("BILLING_SNAP_TIMESTAMP_TOLERANCE", default=300)
# QRIS merchant data as the acquirer registered it (empty: no QRIS shown).
BILLING_QRIS_ACQUIRER_DOMAIN = env("BILLING_QRIS_ACQUIRER_DOMAIN", default="")
BILLING_QRIS_MERCHANT_PAN = env("BILLING_QRIS_MERCHANT_PAN", default="")
BILLING_QRIS_MERCHANT_ID = env("BILLING_QRIS_MERCHANT_ID", default="")
BILLING_QRIS_MERCHANT_CRITERIA = env("BILLING_QRIS_MERCHANT_CRITERIA", default="UBE")
BILLING_QRIS_MCC = env("BILLING_QRIS_MCC", default="9399")  # government services
BILLING_QRIS_MERCHANT_NAME = env(
    "BILLING_QRIS_MERCHANT_NAME", default=_REGION["BILLING_QRIS_MERCHANT_NAME"]
)  # "PEMKO BINJAI"
BILLING_QRIS_MERCHANT_CITY = env(
    "BILLING_QRIS_MERCHANT_CITY", default=_REGION["BILLING_QRIS_MERCHANT_CITY"]
)
# Where the bank's daily settlement CSV lands (SFTP drop), read by the reconciliation.
BILLING_SETTLEMENT_DIR = env.path("BILLING_SETTLEMENT_DIR", default=BASE_DIR / "var" / "settlement")
# Demo only: a "Bayar (simulasi bank)" button asks the bank simulator at this URL to pay.
BILLING_DEMO_PAYMENTS = env.bool("BILLING_DEMO_PAYMENTS", default=False)
BILLING_DEMO_BANK_URL = env("BILLING_DEMO_BANK_URL", default="")

# SECURITY
# https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# The language switch's cookie, like the others: no script reads it.
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Health checks come from the load balancer or Docker over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/|$)"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# CONTENT SECURITY POLICY
# https://django-csp.readthedocs.io/en/4.0/configuration.html (django-csp 4.x format)
# No inline script, handler or style anywhere: scripts and styles are static files, and
# server data reaches scripts through `json_script`. Map tiles come from OpenStreetMap;
# data: images are Bootstrap's and Leaflet's inline SVG icons.
CSP_TILE_HOSTS = env.list(
    "CSP_TILE_HOSTS", default=["https://tile.openstreetmap.org", "https://*.tile.openstreetmap.org"]
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # NONCE: only the standalone 500 page asks for one (its inline <style>).
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:", *CSP_TILE_HOSTS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# HEALTH CHECKS
# /healthz/ready shows each part's state to staff and to callers sending this token in
# the X-Healthz-Token header (monitoring); everybody else gets the status word only.
HEALTHZ_TOKEN = env("HEALTHZ_TOKEN", default="")

# models.W040: covering indexes (INCLUDE) are PostgreSQL's; SQLite under `make run`
# ignores the extra columns, which is all the warning says.
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=["models.W040"])

# BENCHMARKS
# bench/booking_burst.py sets this to a file path: each e-Dokter booking then appends one
# line with how long it waited for and held the poli's counter lock. Empty: nothing.
DOKTER_LOCK_TIMING_FILE = env("DOKTER_LOCK_TIMING_FILE", default="")

# LOGGING
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # client_ip: the address ClientAddressMiddleware resolved (never the proxy's).
    "filters": {"client_ip": {"()": "binjai_portal.core.clientip.ClientAddressLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(client_ip)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["client_ip"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
        # django-rules logs every predicate it evaluates at DEBUG: a page asks dozens.
        "rules": {"level": "INFO"},
    },
}
