"""Forwarding a request to the controller it belongs to, and tracking it.

The vendor is the processor of its customers' patient data (Art. 28): a
patient's request about that data is the care provider's to answer. The desk
sends it on (``services.forward_request``), tells the subject who will answer, and
tracks that the provider acknowledged it: a link in the provider's e-mail,
a reminder after ``services.REMIND_AFTER_DAYS``, and the dashboard's count of
forwardings not yet acknowledged.
"""
