import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    base = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", "import mindlab.settings as s; print(s.DEBUG, s.CACHES['default']['BACKEND'])"],
        cwd=ROOT, env={**base, **env}, capture_output=True, text=True,
    )


def test_missing_secret_key_with_debug_off_names_the_variable():
    result = load_settings()
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_runs_without_a_secret_key():
    result = load_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("True")


def test_redis_url_selects_the_redis_cache():
    result = load_settings(DJANGO_SECRET_KEY="k", DJANGO_ALLOWED_HOSTS="example.org", DJANGO_SITE_URL="https://example.org",
                           REDIS_URL="redis://127.0.0.1:6379/1")
    assert "mindlab.cache_backends.ResilientRedisCache" in result.stdout


def test_unreadable_debug_value_is_explained():
    result = load_settings(DJANGO_DEBUG="maybe")
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_missing_allowed_hosts_with_debug_off_names_the_variable():
    result = load_settings(DJANGO_SECRET_KEY="k")
    assert "ImproperlyConfigured: DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_missing_site_url_with_debug_off_names_the_variable():
    result = load_settings(DJANGO_SECRET_KEY="k", DJANGO_ALLOWED_HOSTS="example.org")
    assert "ImproperlyConfigured: DJANGO_SITE_URL is not set" in result.stderr


def test_deploy_check_passes_with_zero_warnings():
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(DJANGO_SECRET_KEY="q8Zt1-vR4mX9pL2wK7nB3cY6hJ0fD5sA8gE1uI4oP7lT2zQ9xV",
               DJANGO_ALLOWED_HOSTS="www.example.org", DJANGO_SITE_URL="https://www.example.org")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def database_options(**env):
    base = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", "import mindlab.settings as s; print(s.DATABASES['default'].get('OPTIONS', {}))"],
        cwd=ROOT, env={**base, "DJANGO_DEBUG": "1", **env}, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_postgresql_prepares_repeated_queries_unless_told_not_to():
    url = "postgres://postgres@127.0.0.1:5432/mindlab"
    assert database_options(DATABASE_URL=url) == "{'server_side_binding': True, 'prepare_threshold': 5}"
    assert database_options(DATABASE_URL=url, DJANGO_DB_PREPARED_STATEMENTS="0") == "{}"
    assert database_options(DATABASE_URL="sqlite:///var/x.sqlite3") == "{}"


def settings_for_each(name, values, attribute):
    """`attribute` of the settings loaded with `name` set to each value in turn, or the error it stops with."""
    script = ("import importlib, os, sys\nimport mindlab.settings as s\n"
              "for value in sys.argv[3:]:\n"
              "    os.environ[sys.argv[1]] = value\n"
              "    try: print(repr(getattr(importlib.reload(s), sys.argv[2])))\n"
              "    except Exception as error: print(type(error).__name__, error)\n")
    base = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    result = subprocess.run([sys.executable, "-c", script, name, attribute, *values], cwd=ROOT,
                            env={**base, "DJANGO_DEBUG": "1"}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_behind_proxy_is_a_count_of_trusted_proxies_and_one_stays_one():
    values = ["", "0", "1", "2", "true", "off"]
    assert settings_for_each("DJANGO_BEHIND_PROXY", values, "TRUSTED_PROXIES") == ["0", "0", "1", "2", "1", "0"]
    # X-Forwarded-Proto is believed exactly when a proxy is configured.
    headers = settings_for_each("DJANGO_BEHIND_PROXY", ["0", "1"], "SECURE_PROXY_SSL_HEADER")
    assert headers == ["None", "('HTTP_X_FORWARDED_PROTO', 'https')"]


def test_an_unreadable_proxy_count_stops_start_up_and_says_what_it_means():
    for line in settings_for_each("DJANGO_BEHIND_PROXY", ["-1", "one", "1.5", "²"], "TRUSTED_PROXIES"):
        assert line.startswith("ImproperlyConfigured DJANGO_BEHIND_PROXY must be a whole number of zero or more "
                               "(the number of proxies in front of the app")


def test_shared_cache_times_are_read_from_the_environment():
    assert settings_for_each("DJANGO_SHARED_CACHE_SECONDS", ["", "120"], "SHARED_CACHE_SECONDS") == ["60", "120"]
    assert settings_for_each("DJANGO_SHARED_CACHE_STALE_SECONDS", ["soon"], "SHARED_CACHE_STALE_SECONDS")[0].startswith(
        "ImproperlyConfigured DJANGO_SHARED_CACHE_STALE_SECONDS must be a whole number")
