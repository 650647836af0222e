import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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


MEDIA_PROBE = """
import json, django
from urllib.parse import urlsplit
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage
url = default_storage.url("heroes/2026/a.jpg")
directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
print(json.dumps({"backend": settings.STORAGES["default"]["BACKEND"],
                  "options": settings.STORAGES["default"].get("OPTIONS", {}), "url": url,
                  "origin": "{0.scheme}://{0.netloc}".format(urlsplit(url)) if urlsplit(url).scheme else "'self'",
                  "img_src": directives["img-src"], "media_src": directives["media-src"]}))
"""


def media_settings(**env):
    """The media storage and Content-Security-Policy that settings make of `env` (DEBUG off), or the failed run."""
    base = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "AWS_"))}
    base.update(DJANGO_SETTINGS_MODULE="mindlab.settings", DJANGO_SECRET_KEY="k", DJANGO_ALLOWED_HOSTS="example.org",
                DJANGO_SITE_URL="https://example.org")
    result = subprocess.run([sys.executable, "-c", MEDIA_PROBE], cwd=ROOT, env={**base, **env},
                            capture_output=True, text=True)
    return result if result.returncode else json.loads(result.stdout)


def test_without_a_bucket_media_stay_on_disk_and_come_from_the_site_itself():
    media = media_settings()
    assert media["backend"] == "django.core.files.storage.FileSystemStorage"
    assert media["url"] == "/media/heroes/2026/a.jpg"
    assert media["img_src"] == ["'self'", "data:"]


def test_a_bucket_on_another_s3_server_holds_the_media_and_pages_may_load_them():
    media = media_settings(AWS_STORAGE_BUCKET_NAME="mindlab-media", AWS_S3_ENDPOINT_URL="https://s3.example.net",
                           AWS_S3_REGION_NAME="eu-central-1", AWS_ACCESS_KEY_ID="id", AWS_SECRET_ACCESS_KEY="secret")
    assert media["backend"] == "storages.backends.s3.S3Storage"
    assert media["url"] == "https://s3.example.net/mindlab-media/heroes/2026/a.jpg"  # unsigned: pages are cached
    assert media["origin"] in media["img_src"] and media["origin"] in media["media_src"]
    options = media["options"]
    assert options["bucket_name"] == "mindlab-media" and options["region_name"] == "eu-central-1"
    assert options["file_overwrite"] is False  # a URL never comes to mean other bytes
    assert options["object_parameters"] == {"CacheControl": "public, max-age=31536000, immutable"}
    assert "secret" not in json.dumps(options)  # the keys stay with boto3, out of the settings


def test_a_cdn_domain_serves_the_media_and_is_the_allowed_origin():
    media = media_settings(AWS_STORAGE_BUCKET_NAME="mindlab-media", AWS_S3_ENDPOINT_URL="https://s3.example.net",
                           AWS_S3_CUSTOM_DOMAIN="media.example.org")
    assert media["url"] == "https://media.example.org/heroes/2026/a.jpg"
    assert media["img_src"] == ["'self'", "data:", "https://media.example.org"]
    assert "https://s3.example.net" not in media["img_src"]


def test_amazon_s3_without_an_endpoint_allows_the_buckets_own_host():
    media = media_settings(AWS_STORAGE_BUCKET_NAME="mindlab-media", AWS_S3_REGION_NAME="eu-west-1")
    assert media["origin"] in media["img_src"] and media["origin"] in media["media_src"]


@pytest.mark.parametrize("name,value,message", [
    ("AWS_S3_ENDPOINT_URL", "s3.example.net", "AWS_S3_ENDPOINT_URL must be an origin"),
    ("AWS_S3_ENDPOINT_URL", "https://s3.example.net/bucket", "AWS_S3_ENDPOINT_URL must be an origin"),
    ("AWS_S3_CUSTOM_DOMAIN", "https://media.example.org", "AWS_S3_CUSTOM_DOMAIN is a host name"),
])
def test_a_malformed_media_address_stops_start_up_naming_it(name, value, message):
    result = media_settings(AWS_STORAGE_BUCKET_NAME="mindlab-media", **{name: value})
    assert result.returncode != 0 and f"ImproperlyConfigured: {message}" in result.stderr


def mail_and_task_settings(**env):
    base = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    code = ("import mindlab.settings as s; print(s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, "
            "s.EMAIL_USE_SSL, s.EMAIL_TIMEOUT, s.TASKS['default']['BACKEND'], sep='|')")
    production = {"DJANGO_SECRET_KEY": "k", "DJANGO_ALLOWED_HOSTS": "example.org",
                  "DJANGO_SITE_URL": "https://example.org"}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**base, **production, **env},
                          capture_output=True, text=True)


def test_mail_server_sign_in_tls_and_timeout_come_from_the_environment():
    assert mail_and_task_settings().stdout.split("|")[:5] == ["", "", "False", "False", "10.0"]
    result = mail_and_task_settings(DJANGO_EMAIL_HOST_USER="mailer", DJANGO_EMAIL_HOST_PASSWORD="s3cret",
                                    DJANGO_EMAIL_USE_TLS="1", DJANGO_EMAIL_TIMEOUT="2.5")
    assert result.stdout.split("|")[:5] == ["mailer", "s3cret", "True", "False", "2.5"], result.stderr
    assert mail_and_task_settings(DJANGO_EMAIL_USE_SSL="yes").stdout.split("|")[2:4] == ["False", "True"]


def test_starttls_and_ssl_together_are_refused_with_a_clear_message():
    result = mail_and_task_settings(DJANGO_EMAIL_USE_TLS="1", DJANGO_EMAIL_USE_SSL="1")
    assert result.returncode != 0
    assert "DJANGO_EMAIL_USE_TLS and DJANGO_EMAIL_USE_SSL are both on; set only one" in result.stderr


@pytest.mark.parametrize("value", ["0", "-1", "ten"])
def test_mail_timeout_must_be_a_positive_number_of_seconds(value):
    result = mail_and_task_settings(DJANGO_EMAIL_TIMEOUT=value)
    assert f"DJANGO_EMAIL_TIMEOUT must be a number of seconds above 0; got {value!r}" in result.stderr


def test_tasks_queue_in_the_database_unless_debug_runs_them_at_once():
    assert mail_and_task_settings().stdout.strip().split("|")[-1] == "django_tasks_db.DatabaseBackend"
    debug = mail_and_task_settings(DJANGO_DEBUG="1").stdout.strip().split("|")[-1]
    assert debug == "django_tasks.backends.immediate.ImmediateBackend"
