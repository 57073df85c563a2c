from django.urls import path

from config import dev_views

app_name = "dev"
urlpatterns = [
    path("", dev_views.outbox, name="outbox"),
    path("<str:name>/", dev_views.outbox_message, name="outbox_message"),
]
