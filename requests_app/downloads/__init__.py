"""The subject's download links (models and tasks of requests_app.delivery).

A small app of its own so that its migrations never collide with the ticket's.
"""
