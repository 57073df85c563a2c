"""Staff's second factor: authenticator apps (TOTP), their seeds encrypted at rest.

A small app of its own so that its migrations never collide with the ticket's.
"""
