FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DSAR_VAR_DIR=/var/lib/dsar
WORKDIR /app
# WeasyPrint's libraries and the report's fonts, from the one list that
# `make run` and CI read too (system-packages.txt). The image's Python has venv.
COPY system-packages.txt .
COPY scripts/system-deps scripts/
RUN scripts/system-deps ensure pdf && rm -rf /var/lib/apt/lists/*
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
