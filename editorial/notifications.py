"""Stand-in until the notifications of issue 15 are merged: the workflow calls these after each commit."""


def submission_received(page):
    """Tell Reviewers that `page` (a page or a pending revision) was submitted for review."""


def decision_made(page):
    """Tell the submitter of `page` what was decided: published, scheduled or changes requested."""
