"""The public pages of the data subject (issue: subject side)."""

app_name = "intake"
urlpatterns: list = []
