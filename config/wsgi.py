import os

from django.core.wsgi import get_wsgi_application

from config.logging import install as install_log_redaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# gunicorn writes its access and error logs through its own handlers, outside
# settings.LOGGING; the access log holds every URL, secret links included.
install_log_redaction("gunicorn.access", "gunicorn.error")
