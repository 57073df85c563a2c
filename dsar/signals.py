"""What the engine announces. The ticket (or any caller) listens; the engine
never imports it.

- ``job_finished(sender=Job, job=job)``: every source of the job has finished
  (done or failed); sent after commit, once per completion (a retried source
  sends it again when it finishes).
- ``source_finished(sender=SourceRun, run=run)``: one source finished, after commit.
- ``manual_task_created(sender=ManualTask, task=task)``: a person has work to do.
- ``deferred_erasure_done(sender=DeferredErasure, external_ref=ref, counts={records,
  rows_changed, remaining})``: records an erasure kept under a legal hold were
  erased when the hold ended, after commit, once per reference and daily run.
  The caller's record of the reference may be long gone.
- ``category_in_use(sender=DataCategory, code=code)``: asked before ``dsar_config
  load --prune`` deletes a data category the file no longer declares; a receiver
  returns True when a record of its own (a request that chose it) still names
  it, and the category is then retired instead.
"""

from django.dispatch import Signal

job_finished = Signal()
source_finished = Signal()
manual_task_created = Signal()
deferred_erasure_done = Signal()
category_in_use = Signal()
