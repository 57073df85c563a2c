"""The DPO workspace (issue: workspace)."""

app_name = "workspace"
urlpatterns: list = []
