"""The review workflow's side around the content apps: its queue on the admin home and its mail.

No models: it reads articles and hubs through their querysets and sends mail through the task queue. Its app
config (apps.py) plugs both in, so the workflow in `mindlab` never imports it.
"""
