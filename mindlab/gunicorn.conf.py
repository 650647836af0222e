"""gunicorn settings that follow ours (`make serve` and ops/servers.py pass --config mindlab/gunicorn.conf.py).

gunicorn believes X-Forwarded-Proto from 127.0.0.1 by default (its forwarded_allow_ips), so a plain-HTTP
request from this machine could call itself HTTPS and skip the redirect. Unless DJANGO_BEHIND_PROXY says a
proxy is in front, it believes no forwarded header from anyone. Behind one, gunicorn's defaults stand
(FORWARDED_ALLOW_IPS, loopback unless set), and Django trusts X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER).
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mindlab.settings")

from django.conf import settings  # noqa: E402  (the settings module needs the variable above)

if not settings.TRUSTED_PROXIES:
    forwarded_allow_ips = ""
    secure_scheme_headers = {}  # also for connections on a UNIX socket, which forwarded_allow_ips never covers
