# Binjai Smart City portal: one image for web (gunicorn), worker and beat (Celery).
#
#   docker build -t binjai-portal .
#   docker run --rm -p 8000:8000 -e SECRET_KEY=... -e DATABASE_URL=... -e REDIS_URL=... binjai-portal
#
# Configuration comes only from environment variables (see README, "Production").
# DEBUG is off (the settings' default too): the container refuses to start without a
# SECRET_KEY, and never serves debug pages.
FROM python:3.11-slim

# The code runs from /app: templates/, static/, locale/, the app template folders and
# the region data files live beside the modules, and `pip install .` copies only the
# .py files into site-packages. /app first on PYTHONPATH keeps every process
# (gunicorn, celery, manage.py) on the same, complete copy.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=binjai_portal.settings \
    DEBUG=0 \
    MEDIA_ROOT=/app/var/uploads \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin app

# Dependencies first, from pyproject.toml alone, so that a code change does not
# reinstall them: with no package folders present, `pip install .` installs the
# dependencies and an empty distribution, which the second install below replaces.
COPY pyproject.toml ./
RUN pip install .

COPY . .
RUN pip install --no-deps . \
    && rm -rf build ./*.egg-info

# Static files are collected (and compressed, hashed by whitenoise) at build time.
# The dummy SECRET_KEY exists for this RUN line only; it is never in the image's env.
RUN DEBUG=0 SECRET_KEY=build-only-dummy-secret-key-not-used-at-run-time \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var/uploads \
    && chown -R app:app /app/var

USER app

EXPOSE 8000

# Readiness: /healthz/ready answers 200 while the database answers (a cache or broker
# outage is "degraded", still 200), 503 without it. /healthz is liveness (no checks).
# The request carries a Host the portal accepts (first entry of ALLOWED_HOSTS); /healthz*
# is exempt from SECURE_SSL_REDIRECT, X-Forwarded-Proto is sent for older images' sake.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; hosts = [h.strip().lstrip('.') for h in os.environ.get('ALLOWED_HOSTS', '').split(',') if h.strip() not in ('', '*')]; port = os.environ.get('GUNICORN_BIND', ':8000').rsplit(':', 1)[-1]; u.urlopen(u.Request('http://127.0.0.1:' + port + '/healthz/ready', headers={'Host': (hosts or ['127.0.0.1'])[0], 'X-Forwarded-Proto': 'https'}), timeout=8)"]

CMD ["gunicorn", "binjai_portal.wsgi:application", "-c", "binjai_portal/gunicorn.conf.py"]
