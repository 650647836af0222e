"""The visitor's address behind proxies (DJANGO_BEHIND_PROXY): believed only from proxies we trust."""

import http.client
import os
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from mindlab.proxies import client_ip
from ops.servers import Gunicorn
from strategy_calls.models import StrategyCallRequest
from tests.test_strategy_calls import form_data

PROXY = "10.0.0.2"  # the address every request behind the proxy comes from


@pytest.mark.parametrize(("proxies", "forwarded_for", "seen"), [
    (0, "198.51.100.7", PROXY),  # no proxy configured: anybody can write the header
    (1, "198.51.100.7", "198.51.100.7"),
    (1, "", PROXY),  # came straight to the app
    (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the visitor wrote 6.6.6.6, the proxy added the rest
    (1, "not-an-address, 198.51.100.7", "198.51.100.7"),
    (1, '6.6.6.6, "x, 198.51.100.7', PROXY),  # an unclosed quote would hide the proxy's entry from ipware
    (1, "2001:db8::7", "2001:db8::7"),
    (2, "6.6.6.6, 198.51.100.7, 192.0.2.10", "198.51.100.7"),  # a CDN, then our TLS proxy
    (2, "198.51.100.7", PROXY),  # went past the CDN: too few entries to believe
], ids=["not-behind-a-proxy", "one-proxy", "no-header", "made-up-left-entry", "garbage-left-entry",
        "unclosed-quote", "ipv6", "two-proxies", "two-proxies-bypassed"])
def test_the_visitors_address_is_read_only_from_trusted_proxies(rf, settings, proxies, forwarded_for, seen):
    settings.TRUSTED_PROXIES = proxies
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == seen


@pytest.fixture
def submit_from(db, settings, django_capture_on_commit_callbacks):
    """Post the strategy-call form as a visitor at `address`, through the proxy at PROXY."""
    settings.STRATEGY_CALL_RATE_LIMIT = 2

    def submit(address, number):
        client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/strategy-call/", form_data(email=f"visitor{number}@example.org")).status_code

    return submit


def test_two_visitors_behind_one_proxy_are_limited_apart(settings, submit_from):
    settings.TRUSTED_PROXIES = 1
    first = [submit_from("198.51.100.7", n) for n in range(3)]
    second = [submit_from("198.51.100.8", n) for n in range(3, 5)]
    assert first == [303, 303, 429]
    assert second == [303, 303]  # the first visitor's limit is not the second's
    assert StrategyCallRequest.objects.count() == 4


def test_without_the_setting_a_made_up_forwarded_for_changes_nothing(settings, submit_from):
    settings.TRUSTED_PROXIES = 0
    codes = [submit_from(f"198.51.100.{n}", n) for n in range(4)]
    assert codes == [303, 303, 429, 429]  # one limit for the connection's address, whatever the header says
    assert len(set(StrategyCallRequest.objects.values_list("ip_hash", flat=True))) == 1


def fail_to_sign_in(address, times):
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)
    return [client.post(reverse("admin:login"), {"username": "editor", "password": "wrong"}).status_code
            for _ in range(times)]


def sign_in(address):
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)
    return client.post(reverse("admin:login"), {"username": "editor", "password": "the-right-password"}).status_code


def test_sign_in_lockout_is_per_visitor_behind_a_proxy(settings, django_user_model):
    settings.TRUSTED_PROXIES = 1
    django_user_model.objects.create_user("editor", password="the-right-password", is_staff=True)
    assert fail_to_sign_in("198.51.100.7", settings.AXES_FAILURE_LIMIT)[-1] == 429
    assert sign_in("198.51.100.7") == 429  # the guesser waits
    assert sign_in("198.51.100.8") == 302  # the editor at another address signs in


def test_without_the_setting_a_made_up_forwarded_for_does_not_dodge_the_lockout(settings, django_user_model):
    settings.TRUSTED_PROXIES = 0
    django_user_model.objects.create_user("editor", password="the-right-password", is_staff=True)
    codes = [fail_to_sign_in(f"198.51.100.{n}", 1)[0] for n in range(settings.AXES_FAILURE_LIMIT)]
    assert codes[-1] == 429
    assert sign_in("198.51.100.99") == 429


def gunicorn_env(tmp_path, **overrides):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("DJANGO_") and key not in ("DATABASE_URL", "REDIS_URL")}
    return {**env, "DJANGO_SECRET_KEY": "insecure-key-for-the-test-suite-only", "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SITE_URL": "https://127.0.0.1", "DJANGO_SECURE_SSL_REDIRECT": "1", "DJANGO_RELEASE": "test",
            "DJANGO_STATIC_ROOT": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", **overrides}


def get(base, path, **headers):
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_gunicorn_believes_no_forwarded_proto_without_the_setting(tmp_path):
    """gunicorn trusts X-Forwarded-Proto from 127.0.0.1 by default; mindlab/gunicorn.conf.py says otherwise."""
    https = {"X-Forwarded-Proto": "https"}
    with Gunicorn(gunicorn_env(tmp_path), workers=1) as base:
        claimed = get(base, "/articles/", **https)
        health = get(base, "/healthz", **https)  # never redirected; HSTS goes only on what is seen as HTTPS
    assert claimed.status == 301 and claimed.getheader("Location") == f"https://{urlsplit(base).netloc}/articles/"
    assert health.status == 200 and health.getheader("Strict-Transport-Security") is None
    with Gunicorn(gunicorn_env(tmp_path, DJANGO_BEHIND_PROXY="1"), workers=1) as base:
        through_proxy = get(base, "/healthz", **https)
        plain = get(base, "/articles/")
    assert through_proxy.getheader("Strict-Transport-Security")
    assert plain.status == 301
