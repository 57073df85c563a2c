"""What the workspace's header needs to know about the signed-in person."""

from requests_app import permissions


def workspace(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.path.startswith("/workspace/"):
        return {}
    # Auditors read and never log requests: no link to a page that would refuse them.
    return {
        "workspace_can_log": permissions.can_handle_requests(user),
        "workspace_can_audit": permissions.can_read_audit(user),
    }
