"""Abuse checks that need no third-party service: a fill-time token, the per-IP rate limit, IP hashing."""

import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
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
    """Count this submission against the IP's window; True once the window's limit is used up.

    The counter lives in the shared cache (Redis in production), so it holds across worker processes.
    """
    window = settings.STRATEGY_CALL_RATE_WINDOW
    key = f"strategy-call-rate:{ip_digest}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.add(key, 1, timeout=window)
        count = 1
    return count > settings.STRATEGY_CALL_RATE_LIMIT
