from requests_app.models import ControllerProfile


def controller(request):
    return {"controller": ControllerProfile.current()}
