"""`make soak`: the site under load and faults, on loopback, bounded in time. Prints its figures.

1. wrk on the hub and article pages (16 connections): errors and p99.
2. 200 strategy-call submissions from 10 concurrent clients with the mail server down: exactly 200 rows,
   every accepted response has its row, all marked "notification pending".
3. PostgreSQL restarted under load: errors only while it is down, none from one second after it is back.
4. Redis stopped: pages still served from the database, forms still saved; Redis started again after.

Needs DATABASE_URL (PostgreSQL) and REDIS_URL, and root (it restarts this machine's PostgreSQL and Redis
with the commands the machine's docs give). Runs in a database of its own.
"""

import argparse
import os
import secrets
import subprocess
import sys
import threading
import time
from glob import glob

from bench.run import wrk
from ops.http import Browser
from ops.servers import ROOT, Gunicorn, manage, postgres_database

POSTGRES_RESTART = ["pg_ctlcluster", "--skip-systemctl-redirect", None, "main", "restart"]
REDIS_START = ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
               "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of wrk on each page")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        sys.exit("make soak needs DATABASE_URL (PostgreSQL) and REDIS_URL.")
    env = {
        **os.environ,
        "DATABASE_URL": postgres_database(os.environ["DATABASE_URL"], "_soak", fresh=True),
        "REDIS_URL": os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/5",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_STRATEGY_CALL_RATE_LIMIT": "100000",
        "DJANGO_STRATEGY_CALL_NOTIFY": "triage@example.org",
        # The mail server is down for the whole run: nothing listens on port 9.
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": "9",
        "DJANGO_STATIC_ROOT": str(ROOT / "var" / "soak-static"),
        "DJANGO_MEDIA_ROOT": str(ROOT / "var" / "soak-media"),
    }
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo", "--articles", "200", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    manage(env, "collectstatic", "--noinput", "-v0")
    failures = []
    with Gunicorn(env, workers=2) as base:
        failures += load(base, args.duration)
        failures += submissions(base, env)
        failures += postgres_restart(base)
        failures += redis_stopped(base, env)
    for failure in failures:
        print(f"FAIL {failure}")
    print(f"soak: {4 - len({failure.split(':')[0] for failure in failures})} passed, "
          f"{len({failure.split(':')[0] for failure in failures})} failed")
    sys.exit(1 if failures else 0)


def load(base, duration):
    failures = []
    for name, path in [("hub", "/hubs/depression-motivational-drive/"),
                       ("article", "/articles/why-motivation-disappears-in-depression/")]:
        result = wrk(base + path, 16, duration)
        print(f"load {name}: {result['rps']:.0f} req/s, p50 {result['p50']:.2f} ms, p99 {result['p99']:.2f} ms, "
              f"{result['errors']} errors in {duration} s at 16 connections")
        if result["errors"]:
            failures.append(f"load: {result['errors']} errors on the {name} page")
    return failures


def submissions(base, env, total=200, clients=10):
    forms, outcomes, lock = {}, [], threading.Lock()

    def prepare(client):
        for number in range(client, total, clients):
            visitor = Browser(base)
            values, _ = visitor.form("/strategy-call/")
            forms[number] = (visitor, values)

    def send(client):
        for number in range(client, total, clients):
            visitor, values = forms[number]
            values.update({"full_name": [f"Soak Visitor {number}"], "email": [f"soak{number}@example.org"],
                           "message": [f"Soak request {number}: I would like to talk about focus."],
                           "consent": ["on"]})
            try:
                status = visitor.request("/strategy-call/", values)[0]
            except OSError as error:
                status = f"{type(error).__name__}"
            with lock:
                outcomes.append((f"soak{number}@example.org", status))

    _run_threads(prepare, clients)
    time.sleep(3.5)  # a person takes longer than the minimum fill time; so do these clients
    started = time.monotonic()
    _run_threads(send, clients)
    accepted = [email for email, status in outcomes if status == 303]
    rows = _query(env, "from strategy_calls.models import StrategyCallRequest as R;"
                       "print(R.objects.count(), R.objects.notification_pending().count(),"
                       "R.objects.exclude(spam_reason='').count());"
                       "print(*R.objects.values_list('email', flat=True))")
    (count, pending, spam), emails = map(int, rows[0].split()), set(rows[1].split())
    print(f"submissions: {len(accepted)} of {total} accepted in {time.monotonic() - started:.1f} s by {clients} "
          f"clients; {count} rows, {pending} notification pending (mail server down), {spam} flagged as spam")
    failures = []
    if count != total or len(accepted) != total:
        failures.append(f"submissions: {len(accepted)} accepted and {count} rows, expected {total} of each")
    if missing := [email for email in accepted if email not in emails]:
        failures.append(f"submissions: accepted without a row: {missing[:5]}")
    if pending != count:
        failures.append(f"submissions: only {pending} of {count} marked pending with the mail server down")
    return failures


def postgres_restart(base):
    timeline = _load_in_background(base + "/search/?q=sleep")
    time.sleep(2)
    version = os.path.basename(sorted(glob("/etc/postgresql/*"))[-1])
    down = time.monotonic()
    subprocess.run([part or version for part in POSTGRES_RESTART], check=True, capture_output=True)
    back = time.monotonic()
    time.sleep(4)
    samples = timeline.stop()
    during = sum(1 for at, ok in samples if down <= at <= back + 1 and not ok)
    after = sum(1 for at, ok in samples if at > back + 1 and not ok)
    before = sum(1 for at, ok in samples if at < down and not ok)
    print(f"postgres restart: down {back - down:.1f} s; errors before {before}, while down or within 1 s "
          f"{during}, after {after} ({len(samples)} requests)")
    return [f"postgres: {before + after} errors outside the restart window"] if before + after else []


def redis_stopped(base, env):
    subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], capture_output=True)
    try:
        pages = [Browser(base).request(path)[0] for path in ["/", "/hubs/depression-motivational-drive/",
                                                               "/articles/why-motivation-disappears-in-depression/"]]
        visitor = Browser(base)
        values, _ = visitor.form("/strategy-call/")
        time.sleep(3.5)
        values.update({"full_name": ["Redis Down"], "email": ["redis-down@example.org"],
                       "message": ["Sent while the cache server was stopped."], "consent": ["on"]})
        status = visitor.request("/strategy-call/", values)[0]
        saved = _query(env, "from strategy_calls.models import StrategyCallRequest as R;"
                            "print(R.objects.filter(email='redis-down@example.org').count())")[0]
        health = Browser(base).request("/healthz")[0]
    finally:
        subprocess.run(REDIS_START, check=True, capture_output=True)
    print(f"redis stopped: pages {pages}, form {status}, row saved {saved == '1'}, healthz {health}")
    failures = []
    if pages != [200, 200, 200]:
        failures.append(f"redis: pages answered {pages}")
    if status != 303 or saved != "1":
        failures.append(f"redis: the form answered {status} and saved {saved} rows")
    if health != 503:
        failures.append(f"redis: healthz said {health}, not 503")
    return failures


class _Timeline:
    def __init__(self, url):
        self.url, self.samples, self.running = url, [], True
        self.thread = threading.Thread(target=self._run)
        self.thread.start()

    def _run(self):
        import urllib.request

        while self.running:
            at = time.monotonic()
            try:
                with urllib.request.urlopen(self.url, timeout=5) as response:
                    ok = response.status == 200
            except OSError:
                ok = False
            self.samples.append((at, ok))

    def stop(self):
        self.running = False
        self.thread.join()
        return self.samples


def _load_in_background(url):
    return _Timeline(url)


def _run_threads(target, count):
    threads = [threading.Thread(target=target, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _query(env, code):
    return subprocess.run([sys.executable, "manage.py", "shell", "-v", "0", "-c", code], cwd=ROOT, env=env,
                          check=True, capture_output=True, text=True).stdout.strip().splitlines()


if __name__ == "__main__":
    main()
