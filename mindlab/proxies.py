"""The visitor's address, for everything that limits or records by address (the strategy-call rate limit and
spam checks, django-axes' sign-in lockout).

Without DJANGO_BEHIND_PROXY it is the connection's address, and forwarded headers are ignored: anybody can
write them. Behind N trusted proxies (settings.TRUSTED_PROXIES), each of which adds the address it was
reached from to X-Forwarded-For, the visitor is the N-th entry from the right: what a visitor writes on the
left of the header is never believed.
"""

from django.conf import settings
from ipware import get_client_ip


def client_ip(request):
    """The visitor's address as a string, or "" when there is none to be had."""
    proxies = settings.TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    # ipware reads double quotes as RFC 7239 quoting, so an unclosed quote sent by a visitor would swallow the
    # entries our proxies add after it and leave the visitor's made-up address in their place. An
    # X-Forwarded-For has no quotes; one that does is not believed.
    if proxies and forwarded and '"' not in forwarded:
        # ipware counts the proxies named in the header; the nearest one is not named there (it is the
        # connection), so N proxies put the visitor N entries from the right: proxy_count N - 1.
        address, _ = get_client_ip(request, proxy_count=proxies - 1, request_header_order=["HTTP_X_FORWARDED_FOR"],
                                   strict=False)
        if address:
            return address
    # Not behind a proxy, or a request that did not come through all of them (too few entries).
    address, _ = get_client_ip(request, request_header_order=["REMOTE_ADDR"])
    return address or ""
