"""`make soak`: the site under load and faults, on loopback, bounded in time. Prints its figures.

gunicorn (2 workers) and the task worker run as `make serve` runs them; the mail server is aiosmtpd in this
script (ops/mailserver.py), down, hung or answering as each step needs.

1. wrk on the hub and article pages, and on a hero image and an audio file (media served by the app) taken
   from them (16 connections): errors and p99.
2. 200 strategy-call submissions from 10 concurrent clients with the mail server down: exactly 200 rows,
   every accepted response has its row, all marked "notification pending".
3. The mail server hung (it accepts connections and never answers), then answering: 50 more submissions
   answered within a second each while it hangs; once it answers, the worker's retries (and the retry
   command for what they gave up on) send every request's two emails.
4. PostgreSQL restarted under load: errors only while it is down, none from one second after it is back;
   the task worker is started again if it died.
5. Redis stopped: pages still served from the database, forms still saved; Redis started again after.
At the end: every stored request's two emails reached the mail server exactly once.

Needs DATABASE_URL (PostgreSQL) and REDIS_URL, and root (it restarts this machine's PostgreSQL and Redis
with the commands the machine's docs give). Runs in a database of its own.
"""

import argparse
import os
import re
import secrets
import subprocess
import sys
import threading
import time
from glob import glob

from bench.run import load_generator
from ops.http import Browser
from ops.mailserver import MailServer
from ops.servers import ROOT, Gunicorn, TaskWorker, manage, postgres_database

ACCEPTED = []  # the address of every submission answered 303, all steps together
POSTGRES_RESTART = ["pg_ctlcluster", "--skip-systemctl-redirect", None, "main", "restart"]
REDIS_START = ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
               "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of wrk on each page")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        sys.exit("make soak needs DATABASE_URL (PostgreSQL) and REDIS_URL.")
    mail_server = MailServer()  # down until step 3
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
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(mail_server.port),
        # Short, so the run stays short: a hung server costs the worker a second a try, retries come after
        # 1, 2, 4, 8 and 16 s.
        "DJANGO_EMAIL_TIMEOUT": "1",
        "DJANGO_STRATEGY_CALL_MAIL_RETRY_SECONDS": "1",
        "DJANGO_STATIC_ROOT": str(ROOT / "var" / "soak-static"),
        "DJANGO_MEDIA_ROOT": str(ROOT / "var" / "soak-media"),
    }
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo", "--articles", "200", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    manage(env, "collectstatic", "--noinput", "-v0")
    failures = []
    with Gunicorn(env, workers=2) as base, TaskWorker(env, log=ROOT / "var" / "soak-task-worker.log") as worker, \
            mail_server:
        failures += load(base, args.duration)
        failures += submissions(base, env)
        failures += mail_hung_then_answering(base, env, mail_server)
        failures += postgres_restart(base, worker)
        failures += redis_stopped(base, env)
        failures += every_mail_once(env, mail_server)
    steps = {failure.split(":")[0] for failure in failures}
    for failure in failures:
        print(f"FAIL {failure}")
    print(f"soak: {7 - len(steps)} passed, {len(steps)} failed")
    sys.exit(1 if failures else 0)


def load(base, duration):
    failures, wrk = [], load_generator()  # wrk, installed from Debian if missing, or a stand-in
    hub, article = "/hubs/depression-motivational-drive/", "/articles/why-motivation-disappears-in-depression/"
    for name, path in [("hub", hub), ("article", article)]:
        result = wrk(base + path, 16, duration)
        print(f"load {name}: {_figures(result, duration)}")
        if result["errors"]:
            failures.append(f"load: {result['errors']} errors on the {name} page")
    return failures + media_load(base, duration, hub, article, wrk)


def media_load(base, duration, hub, article, wrk):
    """The hero image of the hub page and the audio of the article page, as a browser would fetch them."""
    hero = re.search(r'class="hero-image" src="([^"]+)"', Browser(base).request(hub)[2])
    audio = re.search(r'<audio [^>]*src="([^"]+)"', Browser(base).request(article)[2])
    failures = []
    for name, found in [("hero image", hero), ("audio", audio)]:
        path = found.group(1) if found else None
        status = _status(base + path) if path and path.startswith("/") else None
        if status != 200:
            # Until the app serves uploads itself, /media/ answers 404 with DEBUG off: reported, not failed.
            print(f"load {name}: skipped ({path or 'no URL on the page'} answered {status}: media not served by "
                  "the app)")
            continue
        result = wrk(base + path, 16, duration)
        print(f"load {name} ({path}): {_figures(result, duration)}")
        if result["errors"]:
            failures.append(f"media: {result['errors']} errors on the {name}")
    return failures


def _status(url):
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _figures(result, duration):
    return (f"{result['requests'] / result['seconds']:.0f} req/s, p50 {result['p50']:.2f} ms, "
            f"p99 {result['p99']:.2f} ms, {result['errors']} errors in {duration} s at 16 connections")


def submissions(base, env, total=200, clients=10):
    outcomes, seconds, _ = submit(base, "soak", total, clients)
    accepted = [email for email, status in outcomes if status == 303]
    rows = _query(env, "from strategy_calls.models import StrategyCallRequest as R;"
                       "print(R.objects.count(), R.objects.notification_pending().count(),"
                       "R.objects.exclude(spam_reason='').count());"
                       "print(*R.objects.values_list('email', flat=True))")
    (count, pending, spam), emails = map(int, rows[0].split()), set(rows[1].split())
    print(f"submissions: {len(accepted)} of {total} accepted in {seconds:.1f} s by {clients} "
          f"clients; {count} rows, {pending} notification pending (mail server down), {spam} flagged as spam")
    failures = []
    if count != total or len(accepted) != total:
        failures.append(f"submissions: {len(accepted)} accepted and {count} rows, expected {total} of each")
    if missing := [email for email in accepted if email not in emails]:
        failures.append(f"submissions: accepted without a row: {missing[:5]}")
    if pending != count:
        failures.append(f"submissions: only {pending} of {count} marked pending with the mail server down")
    return failures


def submit(base, prefix, total, clients):
    """`total` strategy-call submissions from `clients` concurrent visitors.

    Returns [(email, status)], the seconds they all took, and each one's seconds, sorted."""
    forms, outcomes, lock = {}, [], threading.Lock()

    def prepare(client):
        for number in range(client, total, clients):
            visitor = Browser(base)
            values, _ = visitor.form("/strategy-call/")
            forms[number] = (visitor, values)

    def send(client):
        for number in range(client, total, clients):
            visitor, values = forms[number]
            email = f"{prefix}{number}@example.org"
            values.update({"full_name": [f"Soak Visitor {number}"], "email": [email],
                           "message": [f"Soak request {number}: I would like to talk about focus."],
                           "consent": ["on"]})
            began = time.monotonic()
            try:
                status = visitor.request("/strategy-call/", values)[0]
            except OSError as error:
                status = f"{type(error).__name__}"
            with lock:
                outcomes.append((email, status, time.monotonic() - began))

    _run_threads(prepare, clients)
    time.sleep(3.5)  # a person takes longer than the minimum fill time; so do these clients
    started = time.monotonic()
    _run_threads(send, clients)
    ACCEPTED.extend(email for email, status, _ in outcomes if status == 303)
    return [(email, status) for email, status, _ in outcomes], time.monotonic() - started, \
        sorted(seconds for _, _, seconds in outcomes)


PENDING = "from strategy_calls.models import StrategyCallRequest as R; print(R.objects.notification_pending().count())"


def mail_hung_then_answering(base, env, mail_server, total=50, clients=10):
    mail_server.hang()
    outcomes, _, seconds = submit(base, "hung", total, clients)
    accepted = sum(1 for _, status in outcomes if status == 303)
    time.sleep(3)  # the worker meets the hung server: a timeout each try, a retry queued each time
    print(f"mail server hung: {accepted} of {total} submissions accepted, slowest answer {seconds[-1]:.2f} s, "
          f"p99 {seconds[int(len(seconds) * 0.99) - 1]:.2f} s; the worker's tries took {mail_server.hung_connections} "
          f"connections that were never answered")
    waiting = int(_query(env, PENDING)[0])
    mail_server.answer()
    recovered = time.monotonic()
    pending = _wait_for_mail(env)
    worker_seconds = time.monotonic() - recovered
    left_to_command = pending
    if pending:  # their retries were used up while the server was down or hung: the operator's path
        _query(env, "from django.core.management import call_command; "
                    "call_command('retry_strategy_call_notifications')")
        pending = int(_query(env, PENDING)[0])
    print(f"mail server answering again: {waiting} requests pending; the worker's retries sent the mail of "
          f"{waiting - left_to_command} in {worker_seconds:.1f} s, the retry command that of the other "
          f"{left_to_command}; {pending} still pending; {len(mail_server.received)} emails received")
    failures = []
    if accepted != total:
        failures.append(f"mail hung: {accepted} of {total} submissions accepted")
    if seconds[-1] >= 1:
        failures.append(f"mail hung: the slowest submission took {seconds[-1]:.2f} s")
    if pending:
        failures.append(f"mail hung: {pending} request(s) still pending once the mail server answered")
    return failures


def _wait_for_mail(env, patience=45):
    """Wait while the worker still makes progress on pending mail (retries wait up to 16 s); the count left."""
    pending, progress = int(_query(env, PENDING)[0]), time.monotonic()
    while pending and time.monotonic() - progress < patience:
        time.sleep(1)
        now_pending = int(_query(env, PENDING)[0])
        if now_pending < pending:
            progress = time.monotonic()
        pending = now_pending
    return pending


def postgres_restart(base, worker):
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
          f"{during}, after {after} ({len(samples)} requests); task worker started again {worker.restarts} time(s)")
    return [f"postgres: {before + after} errors outside the restart window"] if before + after else []


def every_mail_once(env, mail_server):
    """Every stored request (spam aside) got its two emails, each exactly once."""
    pending = _wait_for_mail(env)
    rows = _query(env, "from strategy_calls.models import StrategyCallRequest as R;"
                       "print(*(f'{pk},{email}' for pk, email in R.objects.not_spam().values_list('pk', 'email')))")
    requests = [row.split(",") for row in rows[0].split()] if rows else []
    stored = {email for _, email in requests}
    print(f"submissions: {len(ACCEPTED)} accepted in all, {len(stored)} stored; accepted without a row "
          f"{len(set(ACCEPTED) - stored)}, stored without being accepted {len(stored - set(ACCEPTED))}")
    staff = [subject for recipients, subject in mail_server.received if "triage@example.org" in recipients]
    staff_counts = {pk: sum(1 for subject in staff if subject.endswith(f"#{pk}")) for pk, _ in requests}
    ack_counts = {email: len(mail_server.messages_to(email)) for _, email in requests}
    print(f"mail: {len(requests)} requests stored, {len(mail_server.received)} emails received "
          f"({len(staff)} staff notifications, {len(mail_server.received) - len(staff)} acknowledgements); "
          f"requests notified exactly once {sum(count == 1 for count in staff_counts.values())}, acknowledged "
          f"exactly once {sum(count == 1 for count in ack_counts.values())}; {pending} still pending")
    failures = [] if stored == set(ACCEPTED) else [f"mail: {len(ACCEPTED)} submissions accepted, {len(stored)} stored"]
    if twice := [pk for pk, count in staff_counts.items() if count != 1] + \
            [email for email, count in ack_counts.items() if count != 1]:
        failures.append(f"mail: not exactly one email for {twice[:5]} ({len(twice)} in all)")
    if len(mail_server.received) != 2 * len(requests):
        failures.append(f"mail: {len(mail_server.received)} emails for {len(requests)} requests")
    return failures


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
        ACCEPTED.extend(["redis-down@example.org"] if status == 303 else [])
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
