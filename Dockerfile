FROM python:3.11-slim-bookworm

# WeasyPrint needs Pango; fonts cover accented characters in exports.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-dejavu-core fonts-liberation2 gettext \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DSAR_VAR_DIR=/var/lib/dsar
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Static files are collected with production storage (hashed names and a
# manifest); the placeholder values exist for this build step only and no
# secret is written into the image.
RUN useradd --system --home /var/lib/dsar dsar && mkdir -p /var/lib/dsar && chown dsar /var/lib/dsar \
 && DSAR_VAR_DIR=/tmp/build DSAR_PRODUCTION=true SECRET_KEY=build-only ALLOWED_HOSTS=build \
    DSAR_ENCRYPTION_KEYS=build-only DSAR_AUDIT_KEY=build-only DSAR_ERASURE_HASH_KEY=build-only \
    EMAIL_URL=smtp://localhost \
    python manage.py collectstatic --noinput \
 && rm -rf /tmp/build
USER dsar
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--config", "config/gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--workers", "3"]
