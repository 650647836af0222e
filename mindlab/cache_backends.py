"""Redis as the shared cache, degrading to "no cache" while Redis is unreachable.

Pages are then rendered from the database, forms are still saved, and the rate limit lets requests
through (it cannot count); each failure is logged. Nothing here hides a programming error: only
Redis's own connection and server errors are caught.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


def _degrades_to(fallback):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                log.warning("Cache unavailable (%s during %s); carrying on without it.", error, method.__name__)
                return fallback(*args, **kwargs) if callable(fallback) else fallback

        return wrapper

    return decorate


class ResilientRedisCache(RedisCache):
    get = _degrades_to(lambda key, default=None, version=None: default)(RedisCache.get)
    get_many = _degrades_to({})(RedisCache.get_many)
    set = _degrades_to(None)(RedisCache.set)
    set_many = _degrades_to([])(RedisCache.set_many)
    add = _degrades_to(False)(RedisCache.add)
    touch = _degrades_to(False)(RedisCache.touch)
    delete = _degrades_to(False)(RedisCache.delete)
    delete_many = _degrades_to(None)(RedisCache.delete_many)
    incr = _degrades_to(0)(RedisCache.incr)
    has_key = _degrades_to(False)(RedisCache.has_key)
    clear = _degrades_to(None)(RedisCache.clear)
