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
