"""The Redis cache backend (portal/cache.py): Django's, with one redis-py client per connection pool."""

from django.core.cache import cache, caches

from portal.cache import RedisCache


def test_the_cache_reuses_one_client_and_still_reads_and_writes():
    assert isinstance(caches["default"], RedisCache)
    assert cache._cache.get_client() is cache._cache.get_client()
    cache.set("portal:test:a", {"n": 1}, 30)
    cache.set_many({"portal:test:b": 2}, 30)
    assert cache.get("portal:test:a") == {"n": 1}
    assert cache.get_many(["portal:test:a", "portal:test:b", "portal:test:missing"]) == {
        "portal:test:a": {"n": 1},
        "portal:test:b": 2,
    }
    assert cache.add("portal:test:b", 3) is False
    assert cache.incr("portal:test:b") == 3
    cache.delete("portal:test:a")
    assert cache.get("portal:test:a") is None
