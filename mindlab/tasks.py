"""What the project's tasks (django-tasks) share: trying again later. django-tasks has no retries of its own."""

from datetime import timedelta

from django.utils import timezone


def retry_later(context, attempt, attempts, first_wait, *args):
    """Queue the running task again with `*args, attempt + 1`, after `first_wait` seconds doubled per attempt
    already made. False, queuing nothing, when `attempts` are used up or the backend cannot wait (the immediate
    backend of the tests and DEBUG)."""
    this_task = context.task_result.task
    if attempt >= attempts or not this_task.get_backend().supports_defer:
        return False
    wait = first_wait * 2 ** (attempt - 1)
    this_task.using(run_after=timezone.now() + timedelta(seconds=wait)).enqueue(*args, attempt + 1)
    return True
