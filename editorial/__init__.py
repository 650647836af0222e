"""The review workflow's side around the content apps: its queue on the admin home and its mail.

No models and no app config: it reads articles and hubs through their querysets and sends mail through the
task queue.
"""
