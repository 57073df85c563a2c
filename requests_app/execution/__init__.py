"""The ticket's side of acting on erasure, rectification, restriction,
objection and withdrawal requests (the engine's side is ``dsar.execution``).

On approval the engine computes a plan (a Celery task) while the request is
processing; when the plan is ready the request goes to review, where the DPO
changes and approves it on the request page (panel ``plan``). Approval starts
the execution on the workers; when every source is done, the recipients of
the data are notified (Art. 19). The fulfilment e-mail says what was done,
and after an erasure the ticket keeps only what accountability needs.

- ``selectors``: reads (the request's plan, what was done, the recipients);
- ``services``: the staff's actions on the plan and the Art. 19 notices;
- ``effects``: what runs on workflow events and on the engine's signals;
- ``panel``: the plan's section of the request page;
- ``views`` / ``urls``: the panel's forms and the recipients' acknowledgement page.
"""
