"""Demo source systems served on localhost for `make run` (issue: data engine)."""

app_name = "demo"
urlpatterns: list = []
