from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """Connects the review mail to the workflow's signals (mindlab/signals.py) and the review queue to the admin
    home: the dependency points from here to `mindlab`, never back."""

    name = "editorial"

    def ready(self):
        from django.contrib import admin

        from mindlab import signals

        from .queue import admin_home

        signals.submission_received.connect(_submission_received, dispatch_uid="editorial-submission-received")
        signals.decision_made.connect(_decision_made, dispatch_uid="editorial-decision-made")
        admin.site.add_to_index(admin_home)


# The mail functions are looked up when a signal comes, so a test can stand in for them.


def _submission_received(sender, page, **kwargs):
    from . import notifications

    notifications.submission_received(page)


def _decision_made(sender, page, **kwargs):
    from . import notifications

    notifications.decision_made(page)
