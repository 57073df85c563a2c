"""The plan panel's forms post here (mounted under /workspace/execution/), and
the recipients acknowledge their Art. 19 notice on the public ``ack`` page."""

from django.urls import path

from requests_app.execution import views

app_name = "execution"
urlpatterns = [
    path("ack/<str:token>/", views.acknowledge, name="acknowledge"),
    path("<str:reference>/", views.plan_page, name="plan"),
    path("<str:reference>/items/<int:item_id>/", views.change_item, name="change_item"),
    path("<str:reference>/approve/", views.approve, name="approve"),
    path("<str:reference>/resume/", views.resume, name="resume"),
    path("<str:reference>/recompute/", views.recompute, name="recompute"),
    path("<str:reference>/lift-restriction/", views.lift_restriction, name="lift_restriction"),
    path("<str:reference>/tell-recipients/", views.tell_recipients, name="tell_recipients"),
    path("<str:reference>/corrections/<int:index>/", views.map_correction, name="map_correction"),
    path("<str:reference>/categories/", views.choose_categories, name="choose_categories"),
    path("<str:reference>/tasks/<int:task_id>/done/", views.complete_task, name="complete_task"),
    path("<str:reference>/notices/<int:notice_id>/remind/", views.remind, name="remind"),
    path("<str:reference>/notices/<int:notice_id>/settle/", views.settle_notice, name="settle_notice"),
    path("<str:reference>/lifts/<int:lift_id>/cancel/", views.cancel_lift, name="cancel_lift"),
]
