"""The subject's download links and transmissions (the models of requests_app.delivery).

A small app of its own (label ``requests_downloads``) so that its migrations
never collide with the ticket's.
"""
