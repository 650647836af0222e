"""The page cache: anonymous GETs of public pages served from the shared cache, never stale.

Every cached page is filed under the current *content state*: a random version token plus the time of
the next scheduled change (an article's publish or expiry time). Saving or deleting any content gives
the state a new token, after the transaction commits, so every worker and app server sharing the cache
(Redis in production) misses and re-renders on its next request. When the clock passes the next
scheduled change, the first request to notice makes a new token, so a scheduled article appears on
cached pages at its time.
"""

import hashlib
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.http import http_date

STATE_KEY = "mindlab:content-state"
PAGE_TTL = 60 * 60 * 24
_UNCACHED_PREFIXES = ("/strategy-call/", "/search/", "/static/", "/media/", "/healthz")
_STORED_HEADERS = ("Content-Type", "Content-Language", "Link", "X-Frame-Options", "Referrer-Policy",
                   "Cross-Origin-Opener-Policy", "X-Content-Type-Options", "Content-Security-Policy")


def _next_scheduled_change():
    from articles.models import Article  # the one model whose visibility moves with the clock

    return Article.objects.next_visibility_change()


def bump():
    """Content changed: file pages under a new token from now on."""
    next_change = _next_scheduled_change()
    cache.set(STATE_KEY, (uuid.uuid4().hex, next_change.timestamp() if next_change else None), None)


def content_version():
    state = cache.get(STATE_KEY)
    if state is None:
        next_change = _next_scheduled_change()
        # add(), not set(): if an edit bumped the state meanwhile, that newer state wins.
        cache.add(STATE_KEY, (uuid.uuid4().hex, next_change.timestamp() if next_change else None), None)
        state = cache.get(STATE_KEY) or (uuid.uuid4().hex, None)
    elif state[1] is not None and time.time() >= state[1]:
        bump()
        state = cache.get(STATE_KEY) or (uuid.uuid4().hex, None)
    return state[0]


class AnonymousPageCacheMiddleware:
    """Sits near the top of MIDDLEWARE, so a hit skips sessions, auth, CSRF and the view entirely."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        key = f"mindlab:page:{content_version()}:{hashlib.md5(request.build_absolute_uri().encode()).hexdigest()}"
        stored = cache.get(key)
        if stored is not None:
            response = _rebuild(stored)
            response["X-Page-Cache"] = "hit"
            return get_conditional_response(request, etag=response["ETag"], response=response)
        response = self.get_response(request)
        if not _cacheable_response(response):
            return response
        response["ETag"] = quote_etag(hashlib.md5(response.content).hexdigest())
        response["Last-Modified"] = http_date()
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        cache.set(key, _freeze(response), PAGE_TTL)
        response["X-Page-Cache"] = "miss"
        return get_conditional_response(request, etag=response["ETag"], response=response)


def _cacheable_request(request):
    return (
        settings.PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES  # staff, previews, anyone signed in
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path.startswith((*_UNCACHED_PREFIXES, f"/{settings.ADMIN_PATH}"))
    )


def _cacheable_response(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        # A page that sets a cookie (a CSRF token, say) is somebody's own. "Vary: Cookie" is not a reason
        # to skip: requests with a session cookie never reach the cache, and no other cookie changes a page.
        and not response.cookies
        and not any(word in cache_control for word in ("private", "no-cache", "no-store"))
    )


def _freeze(response):
    headers = {name: response[name] for name in (*_STORED_HEADERS, "ETag", "Last-Modified", "Cache-Control")
               if response.has_header(name)}
    return response.content, headers


def _rebuild(stored):
    content, headers = stored
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    return response
