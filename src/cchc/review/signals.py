"""`step_taken`: sent after a workflow step (hand-over, submission, acceptance, return, reopening) is committed.

Arguments: `item` (the reviewable item, as stored after the step) and `event` (its ReviewEvent). The review app sends
it and knows nothing of who listens; cchc.reminders turns it into notices and e-mails.
"""

from django.dispatch import Signal

step_taken = Signal()
