"""What the engine tells its caller (the ticket) without knowing it."""

from django.dispatch import Signal

#: sent with plan= when the plan is computed (ready for review or failed)
plan_computed = Signal()
#: sent with plan= inside the computing transaction, when the plan is ready and before any item is
#: applied (a restriction at once, Art. 18(1)(a)): the caller may leave items out
plan_ready = Signal()
#: sent with plan= when every source is done, failed or waiting is over
plan_executed = Signal()
