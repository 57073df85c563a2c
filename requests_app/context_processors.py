from django.utils import translation

from requests_app.models import ControllerProfile


def controller(request):
    # In the language the page is rendered in (a request's own pages: the request's).
    return {"controller": ControllerProfile.current().in_language(translation.get_language())}
