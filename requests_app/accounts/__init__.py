"""Who works in the workspace: sign-in with two factors (the ``two_factor``
app), the roles (``roles``: Django groups) and the staff's API tokens."""
