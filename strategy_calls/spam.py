"""Abuse checks that need no third-party service: a one-time fill-time token, the per-IP rate limit, IP hashing."""

import secrets
import time
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.crypto import salted_hmac

from mindlab.proxies import client_ip

_TOKEN_SALT = "strategy_calls.started"


class Token(NamedTuple):
    started: float  # when the form was shown
    nonce: str  # stored with the request it is sent with (StrategyCallRequest.form_token): it works once


class TokenExpired(Exception):
    """A token this site made, but older than STRATEGY_CALL_FORM_MAX_AGE (or made before tokens worked once)."""


def start_token(started=None):
    """Signed time the form was shown, and a nonce; a bot that posts at once, or makes its own, gives itself away."""
    return signing.dumps([started or time.time(), secrets.token_hex(16)], salt=_TOKEN_SALT)


def read_token(token):
    """The Token that `start_token()` made, or None when it is missing, forged or garbage; TokenExpired when old."""
    try:
        value = signing.loads(token or "", salt=_TOKEN_SALT, max_age=settings.STRATEGY_CALL_FORM_MAX_AGE)
    except signing.SignatureExpired:
        raise TokenExpired from None
    except signing.BadSignature:
        return None
    if isinstance(value, float):  # a bare time: a form shown before tokens worked once
        raise TokenExpired
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], (int, float))
            and isinstance(value[1], str)):
        return None
    return Token(*value)


def ip_hash(request):
    # Stored instead of the address itself: enough to group requests, useless to anyone who reads the row.
    return salted_hmac("strategy_calls.ip", client_ip(request), algorithm="sha256").hexdigest()


def over_rate_limit(ip_digest):
    """True once this address has sent the window's limit of requests.

    Counted from the requests already stored, not in the cache: a cache that is full or down (Redis at its
    memory limit fails writes) would let every submission through.
    """
    from .models import StrategyCallRequest

    since = timezone.now() - timedelta(seconds=settings.STRATEGY_CALL_RATE_WINDOW)
    sent = StrategyCallRequest.objects.filter(ip_hash=ip_digest, received__gte=since).count()
    return sent >= settings.STRATEGY_CALL_RATE_LIMIT
