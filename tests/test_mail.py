"""Mail after a strategy-call request: off the request path, through the task queue, each email once.

Against a real SMTP server on loopback (aiosmtpd, ops/mailserver.py), and through the database queue and its
worker as production runs them (other tests run tasks at once, inside the request).
"""

import io
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ops.mailserver import MailServer
from ops.servers import ROOT
from strategy_calls import services
from strategy_calls.models import StrategyCallRequest
from tests.test_strategy_calls import form_data

URL = "/strategy-call/"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _mail_settings(settings):
    settings.STRATEGY_CALL_NOTIFY_EMAILS = ["triage@example.org"]
    settings.STRATEGY_CALL_RATE_LIMIT = 100
    settings.EMAIL_TIMEOUT = 0.5  # a hung server costs half a second, not ten


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback, answering; the site sends to it."""
    with MailServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        yield server.answer()


def make_request(**fields):
    return StrategyCallRequest.objects.create(**{
        "full_name": "Maya Lindqvist", "email": "visitor@example.org", "consent": True,
        "message": "I keep losing motivation at work even though my mood seems fine.", **fields,
    })


def run_worker(**options):
    """`manage.py db_worker` until the queue has nothing ready (or `max_tasks` ran), in this process: it sees
    the test database, which must be out of a test transaction (the worker closes a connection it finds in
    one). Its signal handlers are put back afterwards."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    options.setdefault("batch", "max_tasks" not in options)
    try:
        call_command("db_worker", startup_delay=False, interval=0, verbosity=0, **options)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def retry_command():
    out = io.StringIO()
    call_command("retry_strategy_call_notifications", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def queued():
    return list(DBTaskResult.objects.filter(status="READY").values_list("args_kwargs", "run_after", "priority"))


def make_ready():
    """As if the backoff had passed: every queued task may run now."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def test_mail_reaches_a_real_smtp_server_once_each_to_the_right_recipients(db, client, smtp,
                                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data())
    assert response.status_code == 303
    saved = StrategyCallRequest.objects.get()
    assert smtp.messages_to("triage@example.org") == [f"New strategy-call request #{saved.pk}"]
    assert smtp.messages_to("visitor@example.org") == ["We received your request"]
    assert all(len(recipients) == 1 for recipients, _ in smtp.received)
    assert "Completed 0 request(s); 0 still pending." in retry_command()
    assert len(smtp.received) == 2  # nothing sent twice


@pytest.mark.django_db(transaction=True)
def test_form_answers_at_once_while_the_mail_server_hangs_and_mail_goes_out_when_it_answers(settings, smtp):
    settings.TASKS = DATABASE_QUEUE
    settings.EMAIL_TIMEOUT = 5  # were the form to wait for the mail server, it would take this long
    smtp.hang()
    started = time.monotonic()
    response = Client().post(URL, form_data())
    elapsed = time.monotonic() - started
    assert response.status_code == 303 and response["Location"] == reverse("strategy_calls:thanks")
    # The request never reached for the mail server, so its hanging cannot slow the form down.
    assert smtp.hung_connections == 0 and elapsed < 1
    saved = StrategyCallRequest.objects.get()
    assert saved.notification_pending and len(queued()) == 1

    settings.EMAIL_TIMEOUT = 0.5
    run_worker()  # the worker meets the hung server: one timeout, nothing claimed, a retry queued
    assert smtp.hung_connections == 1 and smtp.received == []
    saved.refresh_from_db()
    assert saved.notification_pending
    assert saved.staff_notification_claimed_at is None and saved.acknowledgement_claimed_at is None
    [(args, run_after, _)] = queued()
    assert args["args"] == [saved.pk, 2] and run_after > timezone.now() + timedelta(seconds=50)

    smtp.answer()
    make_ready()
    run_worker()
    assert smtp.messages_to("triage@example.org") == [f"New strategy-call request #{saved.pk}"]
    assert smtp.messages_to("visitor@example.org") == ["We received your request"]
    assert not StrategyCallRequest.objects.get().notification_pending
    run_worker()
    retry_command()
    assert len(smtp.received) == 2 and queued() == []


@pytest.mark.django_db(transaction=True)
def test_database_error_while_queueing_after_the_commit_still_thanks_the_visitor(settings, caplog):
    settings.TASKS = DATABASE_QUEUE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    def queue_table_gone(execute, sql, params, many, context):
        if sql.startswith("INSERT") and DBTaskResult._meta.db_table in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(queue_table_gone):
        response = Client().post(URL, form_data())
    assert response.status_code == 303 and response["Location"] == reverse("strategy_calls:thanks")
    assert StrategyCallRequest.objects.get().notification_pending
    assert "its mail could not be queued; it stays pending" in caplog.text
    assert "Completed 1 request(s); 0 still pending." in retry_command()
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_database_error_while_sending_still_thanks_the_visitor(settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    def claims_fail(execute, sql, params, many, context):
        if sql.startswith("UPDATE") and "claimed_at" in sql:
            raise OperationalError("terminating connection due to administrator command")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(claims_fail):
        response = Client().post(URL, form_data())  # tasks run at once here: the error is inside the request
    assert response.status_code == 303
    assert StrategyCallRequest.objects.get().notification_pending and mail.outbox == []
    assert "administrator command" in caplog.text
    retry_command()
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_no_row_lock_is_held_while_the_mail_server_is_talked_to(settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_request = make_request()
    edits = []

    def triage_meanwhile():
        # Another connection (a triager saving the request: `connection` is this thread's) must neither wait nor fail.
        try:
            with transaction.atomic():
                row = StrategyCallRequest.objects.select_for_update(nowait=True).get(pk=call_request.pk)
                row.notes = "Called back"
                row.save(update_fields=["notes"])
            edits.append("saved")
        except OperationalError as error:
            edits.append(str(error))
        finally:
            connection.close()

    def send_while_triaging(backend, messages):
        thread = threading.Thread(target=triage_meanwhile)
        thread.start()
        thread.join()
        mail.outbox.extend(messages)
        return len(messages)

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", send_while_triaging)
    assert services.send_notifications(call_request.pk)
    assert edits == ["saved", "saved"] and len(mail.outbox) == 2
    assert StrategyCallRequest.objects.get().notes == "Called back"


def test_a_retry_racing_the_worker_sends_nothing_twice(db, settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_request = make_request()
    original = mail.backends.locmem.EmailBackend.send_messages
    racing = []

    def send_while_a_retry_runs(backend, messages):
        if not racing:  # while the first email is on its way, the retry command starts
            racing.append(retry_command())
        return original(backend, messages)

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", send_while_a_retry_runs)
    assert services.send_notifications(call_request.pk)
    assert [message.to for message in mail.outbox] == [["visitor@example.org"], ["triage@example.org"]]
    # The retry found the staff notification claimed and left it alone, sending only the acknowledgement.
    assert "1 still pending" in racing[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two senders at the same moment need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_send_each_email_once(settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_request = make_request()
    original = mail.backends.locmem.EmailBackend.send_messages
    start = threading.Barrier(2)

    def slow_send(backend, messages):
        time.sleep(0.2)  # the other worker reaches its claim while this one is sending
        return original(backend, messages)

    def worker():
        start.wait()
        services.send_notifications(call_request.pk)
        connection.close()  # this thread's own

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", slow_send)
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(message.to[0] for message in mail.outbox) == ["triage@example.org", "visitor@example.org"]
    assert not StrategyCallRequest.objects.get().notification_pending


def test_claim_left_by_a_dead_sender_holds_until_it_goes_stale(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A worker claimed the staff notification and died before recording it: sent or not, nobody knows.
    call_request = make_request(staff_notification_claimed_at=timezone.now())
    assert "1 still pending" in retry_command()
    assert [message.to for message in mail.outbox] == [["visitor@example.org"]]
    stale = timezone.now() - timedelta(seconds=settings.STRATEGY_CALL_MAIL_CLAIM_SECONDS + 1)
    StrategyCallRequest.objects.filter(pk=call_request.pk).update(staff_notification_claimed_at=stale)
    assert "Completed 1 request(s); 0 still pending." in retry_command()
    assert [message.to for message in mail.outbox] == [["visitor@example.org"], ["triage@example.org"]]


@pytest.mark.django_db(transaction=True)  # the worker needs the database out of a test transaction
def test_failed_mail_is_retried_with_growing_waits_then_left_for_the_retry_action(settings, admin_client, caplog):
    settings.TASKS = DATABASE_QUEUE
    settings.EMAIL_BACKEND = "tests.test_strategy_calls.FailingBackend"
    settings.STRATEGY_CALL_MAIL_ATTEMPTS = 3
    settings.STRATEGY_CALL_MAIL_RETRY_SECONDS = 60
    Client().post(URL, form_data())
    pk = StrategyCallRequest.objects.get().pk
    waits = []
    for attempt in (1, 2, 3):
        [(args, _, _)] = queued()
        assert args["args"] == ([pk] if attempt == 1 else [pk, attempt])
        make_ready()
        before = timezone.now()
        run_worker()
        waits += [(run_after - before).total_seconds() for _, run_after, _ in queued()]
    assert [round(wait) for wait in waits] == [60, 120]  # then no third retry: the attempts are used up
    assert queued() == [] and StrategyCallRequest.objects.get().notification_pending
    assert "mail not sent after 3 attempt(s); it stays pending" in caplog.text

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    changelist = reverse("admin:strategy_calls_strategycallrequest_changelist")
    response = admin_client.post(changelist, {"action": "retry_notification", "_selected_action": [pk]}, follow=True)
    assert "Queued the notifications of 1 pending request(s)" in response.text
    assert mail.outbox == [] and len(queued()) == 1  # the worker sends them, not the admin page
    run_worker()
    assert len(mail.outbox) == 2 and not StrategyCallRequest.objects.get().notification_pending


@pytest.mark.django_db(transaction=True)
def test_an_urgent_request_is_mailed_ahead_of_the_queue(settings, client):
    settings.TASKS = DATABASE_QUEUE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.post(URL, form_data(email="first@example.org"))
    client.post(URL, form_data(email="second@example.org", message="Lately I have thought about self-harm."))
    assert sorted(priority for _, _, priority in queued()) == [0, services.URGENT_PRIORITY]
    run_worker(max_tasks=1)
    assert mail.outbox[0].subject.startswith("URGENT: ")
    assert [message.to for message in mail.outbox][1] == ["second@example.org"]




def test_worker_beside_gunicorn_is_started_again_when_it_dies_and_stops_on_sigterm(tmp_path):
    """ops/worker.py, as `make serve` runs it."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(DJANGO_SECRET_KEY="k", DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_SITE_URL="http://127.0.0.1",
               DATABASE_URL=f"sqlite:///{tmp_path / 'queue.sqlite3'}")
    subprocess.run([sys.executable, "manage.py", "migrate", "django_tasks_database", "-v0"], cwd=ROOT, env=env,
                   check=True)
    worker_id = f"test-{tmp_path.name}"[-60:]

    def workers():
        listing = subprocess.run(["ps", "-ww", "-eo", "pid=,args="], capture_output=True, text=True).stdout
        return [int(line.split()[0]) for line in listing.splitlines() if "db_worker" in line and worker_id in line]

    def wait_for(condition):
        deadline = time.monotonic() + 30
        while not condition() and time.monotonic() < deadline:
            time.sleep(0.1)
        return condition()

    supervisor = subprocess.Popen([sys.executable, "-m", "ops.worker", "--worker-id", worker_id], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: len(workers()) == 1)
        first = workers()[0]
        os.kill(first, signal.SIGKILL)  # dies as it would on a lost database connection, or worse
        assert "task worker exited with status -9; starting it again in 1 s" in supervisor.stderr.readline()
        assert wait_for(lambda: workers() and workers() != [first])
    finally:
        supervisor.terminate()
        supervisor.wait(timeout=30)
    assert supervisor.returncode == 0 and workers() == []
