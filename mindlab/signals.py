"""What the editorial workflow tells the apps around it, each with the `page` concerned. `Page` sends them once the
step's transaction commits (never for a rolled-back step); the review mail connects to them (editorial/apps.py).
Defined here, so the workflow names no app that depends on it."""

from django.dispatch import Signal

submission_received = Signal()  # a page or a pending revision was submitted for review
decision_made = Signal()  # a reviewer published, scheduled or approved it, or requested changes
