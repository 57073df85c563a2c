"""Foundations shared by the engine (``dsar``) and the ticket (``requests_app``):
encryption at rest, the national-number mask and the time-stamped base model.

They live under ``dsar`` because the ticket may import the engine but the engine
never imports the ticket; nothing here imports anything else of ``dsar``, so
either app can use it without pulling in the engine's features.
"""
