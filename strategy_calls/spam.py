"""Abuse checks that need no third-party service: a fill-time token, the per-IP rate limit, IP hashing."""

import time
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.crypto import salted_hmac

_TOKEN_SALT = "strategy_calls.started"


def start_token():
    """Signed time the form was shown; a bot that posts at once, or makes its own, gives itself away."""
    return signing.dumps(time.time(), salt=_TOKEN_SALT)


def seconds_since(token):
    """Seconds since `start_token()` made the token, or None when it is missing, forged or garbage."""
    try:
        started = signing.loads(token or "", salt=_TOKEN_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(started, (int, float)):
        return None
    return time.time() - started


def ip_hash(request):
    # Stored instead of the address itself: enough to group requests, useless to anyone who reads the row.
    return salted_hmac("strategy_calls.ip", request.META.get("REMOTE_ADDR", ""), algorithm="sha256").hexdigest()


def over_rate_limit(ip_digest):
    """True once this address has sent the window's limit of requests.

    Counted from the requests already stored, not in the cache: a cache that is full or down (Redis at its
    memory limit fails writes) would let every submission through.
    """
    from .models import StrategyCallRequest

    since = timezone.now() - timedelta(seconds=settings.STRATEGY_CALL_RATE_WINDOW)
    sent = StrategyCallRequest.objects.filter(ip_hash=ip_digest, received__gte=since).count()
    return sent >= settings.STRATEGY_CALL_RATE_LIMIT
