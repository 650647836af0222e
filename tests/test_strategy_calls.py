import csv
import io
import re
import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from strategy_calls import spam
from strategy_calls.models import StatusChange, StrategyCallRequest

URL = "/strategy-call/"


class FailingBackend(EmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


class FailingForVisitorsBackend(EmailBackend):
    """Staff mail goes out; the visitor's address is refused."""

    def send_messages(self, messages):
        if any("visitor" in address for message in messages for address in message.to):
            raise ConnectionRefusedError("recipient refused")
        return super().send_messages(messages)


def token(seconds_ago=30):
    return spam.start_token(time.time() - seconds_ago)


def form_data(**overrides):
    data = {
        "full_name": "Maya Lindqvist",
        "email": "visitor@example.org",
        "phone": "+1 (212) 555-0100",
        "message": "I keep losing motivation at work even though my mood seems fine.",
        "contact_method": "email",
        "time_window": "morning",
        "consent": "on",
        "website": "",
        "started": token(),
        "source": "",
        "utm": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture(autouse=True)
def _triage_mail(settings):
    settings.STRATEGY_CALL_NOTIFY_EMAILS = ["triage@example.org"]
    settings.STRATEGY_CALL_RATE_LIMIT = 100  # tests of the limit set their own


@pytest.fixture
def submit(db, client, django_capture_on_commit_callbacks):
    def submit(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, form_data(**overrides))

    return submit


# The visitor's side


def test_form_page_explains_the_call_and_keeps_the_source(client, db):
    response = client.get(URL + "?from=/articles/why-drive-fades/&utm_source=newsletter&utm_medium=email&x=1")
    html = response.text
    assert response.status_code == 200
    assert "One focused hour" in html and "What happens next" in html
    assert 'name="source" value="/articles/why-drive-fades/"' in html
    assert 'name="utm" value="utm_source=newsletter&amp;utm_medium=email"' in html
    assert "never shared or used for marketing" in html


def test_valid_request_is_saved_then_redirected_with_303(submit, mailoutbox, make_article):
    article = make_article()
    response = submit(source=article.get_absolute_url(), utm="utm_source=news&utm_campaign=spring&evil=1")
    assert response.status_code == 303
    assert response["Location"] == "/strategy-call/thanks/"
    saved = StrategyCallRequest.objects.get()
    assert saved.status == "new" and not saved.is_urgent and not saved.spam_reason
    assert saved.source_path == article.get_absolute_url()
    assert saved.source_article == article and saved.source_hub == article.primary_hub
    assert saved.utm == {"utm_source": "news", "utm_campaign": "spring"}
    assert [message.to for message in mailoutbox] == [["triage@example.org"], ["visitor@example.org"]]
    assert saved.staff_notified_at and saved.acknowledged_at and not saved.notification_pending


def test_notifications_carry_no_personal_details(submit, mailoutbox):
    submit()
    staff, acknowledgement = mailoutbox
    for message in (staff, acknowledgement):
        assert "Maya" not in message.subject + message.body
        assert "motivation at work" not in message.body
    assert "/admin/strategy_calls/strategycallrequest/" in staff.body


def test_thank_you_page_says_what_happens_next_and_shows_the_crisis_notice(client, db):
    html = client.get(reverse("strategy_calls:thanks")).text
    assert "What happens next" in html
    assert "988" in html and 'class="crisis"' in html


def test_ip_address_is_stored_only_as_a_salted_hash(submit):
    submit()
    saved = StrategyCallRequest.objects.get()
    assert len(saved.ip_hash) == 64
    assert "127.0.0.1" not in str(StrategyCallRequest.objects.values().get())


@pytest.mark.parametrize("source", ["https://evil.example/x", "//evil.example/x", "javascript:alert(1)",
                                    "/\\evil.example", "relative/path", "/" + "a" * 400])
def test_source_that_is_not_a_path_on_this_site_is_dropped(submit, source):
    assert submit(source=source).status_code == 303
    assert StrategyCallRequest.objects.get().source_path == ""


def test_hub_and_article_pages_link_to_the_form_with_their_path(client, make_article):
    article = make_article()
    assert f'href="/strategy-call/?from=%2Farticles%2F{article.slug}%2F"' in client.get(article.get_absolute_url()).text
    hub_html = client.get(article.primary_hub.get_absolute_url() + "?utm_source=ad").text
    # The same page for every visitor: the browser adds the campaign tags (static/js/site.js).
    assert f'href="/strategy-call/?from=%2Fhubs%2F{article.primary_hub.slug}%2F"' in hub_html


# Bad input: a message on the field, everything kept, nothing saved, never a 500.

BAD_INPUT = {
    "name-missing": ({"full_name": ""}, "full_name"),
    "name-too-long": ({"full_name": "N" * 121}, "full_name"),
    "name-with-newline": ({"full_name": "Maya\r\nBcc: victim@example.org"}, "full_name"),
    "name-with-nul": ({"full_name": "Maya\x00"}, "full_name"),
    "email-missing": ({"email": ""}, "email"),
    "email-invalid": ({"email": "not-an-email"}, "email"),
    "email-too-long": ({"email": "a" * 245 + "@example.org"}, "email"),
    "email-with-newline": ({"email": "visitor@example.org\nBcc: victim@example.org"}, "email"),
    "phone-letters": ({"phone": "call me maybe"}, "phone"),
    "phone-too-long": ({"phone": "+1 " + "2" * 31}, "phone"),
    "phone-too-few-digits": ({"phone": "12-34"}, "phone"),
    "message-too-short": ({"message": "Too short."}, "message"),
    "message-too-long": ({"message": "x" * 5001}, "message"),
    "message-with-nul": ({"message": "A message that is long enough\x00 to pass"}, "message"),
    "message-blank": ({"message": "   \n  "}, "message"),
    "consent-missing": ({"consent": None}, "consent"),
    "contact-method-unknown": ({"contact_method": "pigeon"}, "contact_method"),
}


@pytest.mark.parametrize("overrides,field", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_a_form_error_and_saves_nothing(client, db, mailoutbox, overrides, field):
    response = client.post(URL, form_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "There is a problem with the form" in response.text and f"href=\"#id_{field}" in response.text
    assert StrategyCallRequest.objects.count() == 0
    assert mailoutbox == []
    if field != "full_name":
        assert 'value="Maya Lindqvist"' in response.text  # what was typed is kept
    if field != "message":
        assert "I keep losing motivation at work" in response.text


@pytest.mark.parametrize("overrides", [
    {"full_name": "Зоя Петрова", "message": "Мне трудно найти мотивацию уже несколько месяцев подряд."},
    {"full_name": "山田 太郎", "message": "仕事への意欲がなくなってしまい、何をしても楽しくありません。毎日が長い。"},
    {"full_name": "Maya 🌱", "message": "Feeling flat 😔 for months, hoping to understand why. 🧠"},
    {"email": "visitor@bücher.example"},
    {"full_name": "Nguyễn Thị Ánh", "phone": "+84 28 3823 4567 ext. 12"},
], ids=["cyrillic", "japanese", "emoji", "idn-email", "vietnamese-with-extension"])
def test_unusual_but_valid_input_is_accepted(submit, overrides):
    assert submit(**overrides).status_code == 303
    saved = StrategyCallRequest.objects.get()
    for field, value in overrides.items():
        assert getattr(saved, field) == value


# Spam and abuse


def test_missing_csrf_token_is_403_and_saves_nothing(db):
    response = Client(enforce_csrf_checks=True).post(URL, form_data())
    assert response.status_code == 403
    assert "Please send the form again" in response.text
    assert StrategyCallRequest.objects.count() == 0


def test_honeypot_is_kept_as_spam_and_not_emailed(submit, mailoutbox):
    response = submit(website="https://cheap-pills.example")
    assert response.status_code == 303 and response["Location"] == "/strategy-call/thanks/"
    saved = StrategyCallRequest.objects.get()
    assert (saved.status, saved.spam_reason) == ("spam", "honeypot")
    assert mailoutbox == []


@pytest.mark.parametrize("started,reason", [
    (lambda: token(seconds_ago=0), "too-fast"),
    (lambda: "1700000000.0:forged-signature", "bad-token"),
    (lambda: "X" + token()[1:], "bad-token"),
    (lambda: signing.dumps([time.time() - 30, "a" * 32], salt="another.form"), "bad-token"),
    (lambda: "garbage \x7f", "bad-token"),
    (lambda: signing.dumps("not a number", salt="strategy_calls.started"), "bad-token"),
    (lambda: None, "bad-token"),
], ids=["too-fast", "forged", "tampered", "signed-for-something-else", "garbage", "wrong-type", "missing"])
def test_fill_time_check_flags_bots(submit, mailoutbox, started, reason):
    assert submit(started=started()).status_code == 303
    saved = StrategyCallRequest.objects.get()
    assert (saved.status, saved.spam_reason) == ("spam", reason)
    assert mailoutbox == []


# The form's token expires, and works once: the database keeps the used ones, so no cache loss reopens them.


def started_value(html):
    return re.search(r'name="started" value="([^"]+)"', html).group(1)


def test_a_form_open_too_long_comes_back_fresh_with_everything_typed(client, db, at_time,
                                                                     django_capture_on_commit_callbacks):
    shown = started_value(client.get(URL).text)
    with at_time(timezone.now() + timedelta(days=1, minutes=1)):
        response = client.post(URL, form_data(started=shown))
        assert response.status_code == 200 and StrategyCallRequest.objects.count() == 0
        assert "This form was open too long" in response.text and "href=\"#id_" not in response.text
        assert 'value="Maya Lindqvist"' in response.text and "I keep losing motivation at work" in response.text
        with django_capture_on_commit_callbacks(execute=True):
            again = client.post(URL, form_data(started=started_value(response.text)))  # at once, as people do
    assert again.status_code == 303
    assert StrategyCallRequest.objects.get().spam_reason == ""  # the fresh token is not "too fast"


def test_a_form_shown_before_tokens_worked_once_comes_back_fresh(client, db):
    bare_time = signing.dumps(time.time() - 30, salt="strategy_calls.started")  # what a form held until now
    response = client.post(URL, form_data(started=bare_time))
    assert response.status_code == 200 and "This form was open too long" in response.text
    assert StrategyCallRequest.objects.count() == 0


@pytest.mark.parametrize("replayer", ["same-session", "another-session"])
def test_a_token_works_once(submit, client, replayer):
    shown = token()
    assert submit(started=shown).status_code == 303
    visitor = client if replayer == "same-session" else Client()
    other_request = {"email": "someone@example.org", "message": "A different request, about sleep and mood."}
    response = visitor.post(URL, form_data(started=shown, **other_request))
    assert response.status_code == 200 and StrategyCallRequest.objects.count() == 1
    assert "This form has already been sent once" in response.text
    assert "A different request, about sleep and mood." in response.text  # nothing typed is lost
    again = visitor.post(URL, form_data(started=started_value(response.text), **other_request))
    assert again.status_code == 303
    assert list(StrategyCallRequest.objects.order_by("pk").values_list("email", "status")) == [
        ("visitor@example.org", "new"), ("someone@example.org", "new")]


def test_the_same_form_sent_twice_makes_one_request(submit):
    shown = token()
    assert [submit(started=shown).status_code, submit(started=shown).status_code] == [303, 303]
    assert StrategyCallRequest.objects.count() == 1


def test_the_same_form_sent_twice_at_once_makes_one_request(submit, monkeypatch):
    """Both copies pass the duplicate check before either is stored; the token's unique constraint keeps one,
    and the second visitor gets the thank-you page too."""
    from strategy_calls import views

    shown = token()
    assert submit(started=shown).status_code == 303
    looks, real_lookup = [], views._earlier_copy

    def not_stored_yet_at_the_first_look(form):
        looks.append(form)
        return None if len(looks) == 1 else real_lookup(form)

    monkeypatch.setattr(views, "_earlier_copy", not_stored_yet_at_the_first_look)
    response = submit(started=shown)
    assert response.status_code == 303 and response["Location"] == "/strategy-call/thanks/"
    assert len(looks) == 2 and StrategyCallRequest.objects.count() == 1


def test_rate_limit_answers_429_and_saves_no_more_than_the_limit(submit, settings):
    settings.STRATEGY_CALL_RATE_LIMIT = 3
    codes = [submit(message=f"Request number {n} about motivation and mood.").status_code for n in range(5)]
    assert codes == [303, 303, 303, 429, 429]
    assert StrategyCallRequest.objects.count() == 3


def test_rate_limit_holds_when_the_cache_loses_every_write(submit, settings, monkeypatch):
    """Redis at its memory limit fails writes; the limit counts the stored requests, so it still holds."""
    from django.core.cache import cache

    for method in ("add", "set", "set_many"):
        monkeypatch.setattr(cache, method, lambda *args, **kwargs: False)
    monkeypatch.setattr(cache, "incr", lambda *args, **kwargs: 1)
    settings.STRATEGY_CALL_RATE_LIMIT = 5
    codes = [submit(message=f"Request number {n} about motivation and mood.").status_code for n in range(7)]
    assert codes == [303] * 5 + [429, 429]
    assert StrategyCallRequest.objects.count() == 5


def test_rate_limit_page_is_friendly(submit, settings):
    settings.STRATEGY_CALL_RATE_LIMIT = 0
    response = submit()
    assert response.status_code == 429
    assert "We have already received several requests from you" in response.text
    assert response["Retry-After"] == str(settings.STRATEGY_CALL_RATE_WINDOW)  # seconds: when to try again


def test_same_email_and_message_within_ten_minutes_makes_one_row(submit, mailoutbox):
    first, second = submit(), submit(email="VISITOR@example.org")
    assert first.status_code == second.status_code == 303
    assert StrategyCallRequest.objects.count() == 1
    assert len(mailoutbox) == 2


def test_same_message_after_ten_minutes_is_a_new_request(submit):
    submit()
    StrategyCallRequest.objects.update(received=timezone.now() - timedelta(minutes=11))
    submit()
    assert StrategyCallRequest.objects.count() == 2


# Nothing lost


def test_mail_failure_keeps_the_request_pending_and_retry_sends_once(submit, settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.test_strategy_calls.FailingBackend"
    assert submit().status_code == 303
    saved = StrategyCallRequest.objects.get()
    assert saved.notification_pending and saved.staff_notified_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = io.StringIO()
    call_command("retry_strategy_call_notifications", stdout=out)
    assert "Completed 1 request(s); 0 still pending." in out.getvalue()
    assert len(mail.outbox) == 2
    call_command("retry_strategy_call_notifications", stdout=io.StringIO())
    assert len(mail.outbox) == 2  # nothing sent twice
    assert not StrategyCallRequest.objects.get().notification_pending


def test_retry_sends_only_the_email_that_failed(submit, settings):
    settings.EMAIL_BACKEND = "tests.test_strategy_calls.FailingForVisitorsBackend"
    submit()
    saved = StrategyCallRequest.objects.get()
    assert saved.staff_notified_at is not None and saved.acknowledged_at is None
    assert len(mail.outbox) == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("retry_strategy_call_notifications", stdout=io.StringIO())
    assert [message.to for message in mail.outbox] == [["triage@example.org"], ["visitor@example.org"]]


def test_retry_from_admin_action(submit, settings, admin_client):
    settings.EMAIL_BACKEND = "tests.test_strategy_calls.FailingBackend"
    submit()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    saved = StrategyCallRequest.objects.get()
    changelist = reverse("admin:strategy_calls_strategycallrequest_changelist")
    assert "pending" in admin_client.get(changelist + "?notification=pending").text
    admin_client.post(changelist, {"action": "retry_notification", "_selected_action": [saved.pk]})
    assert len(mail.outbox) == 2
    assert not StrategyCallRequest.objects.get().notification_pending


# Urgent requests


def test_crisis_language_is_flagged_urgent(submit, mailoutbox, client):
    response = submit(message="Some days I think everyone would be better off dead without me.")
    assert response["Location"] == "/strategy-call/thanks/?urgent=1"
    assert StrategyCallRequest.objects.get().is_urgent
    assert mailoutbox[0].subject.startswith("URGENT: ")
    html = client.get(response["Location"]).text
    assert html.index("please do not wait for us") < html.index("What happens next")


def test_crisis_phrases_are_configurable(submit, settings):
    settings.STRATEGY_CALL_CRISIS_PHRASES = ["hopeless"]
    submit(message="Lately everything at work feels hopeless to me.")
    assert StrategyCallRequest.objects.get().is_urgent


# Staff triage in admin


@pytest.fixture
def call_request(submit):
    submit()
    return StrategyCallRequest.objects.get()


def test_anonymous_is_sent_to_login(client, call_request):
    response = client.get(reverse("admin:strategy_calls_strategycallrequest_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("group", ["Editors", "Reviewers"])
def test_editors_and_reviewers_cannot_see_requests(client, make_staff, call_request, group):
    client.force_login(make_staff(group))
    assert client.get(reverse("admin:strategy_calls_strategycallrequest_changelist")).status_code == 403
    change = reverse("admin:strategy_calls_strategycallrequest_change", args=[call_request.pk])
    assert client.get(change).status_code == 403


def test_triage_changes_status_and_the_change_is_recorded(client, make_staff, call_request):
    user = make_staff("Strategy-call triage")
    client.force_login(user)
    change = reverse("admin:strategy_calls_strategycallrequest_change", args=[call_request.pk])
    page = client.get(change)
    assert page.status_code == 200 and "Maya Lindqvist" in page.text
    response = client.post(change, {
        "status": "contacted", "assignee": user.pk, "notes": "Left a voicemail.",
        "email": "changed@example.org",  # read-only: ignored
        "status_changes-TOTAL_FORMS": "0", "status_changes-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    call_request.refresh_from_db()
    assert (call_request.status, call_request.notes, call_request.email) == (
        "contacted", "Left a voicemail.", "visitor@example.org")
    change_record = StatusChange.objects.get()
    assert (change_record.from_status, change_record.to_status, change_record.changed_by) == ("new", "contacted", user)


def test_triage_cannot_delete(client, make_staff, call_request):
    client.force_login(make_staff("Strategy-call triage"))
    delete = reverse("admin:strategy_calls_strategycallrequest_delete", args=[call_request.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert StrategyCallRequest.objects.count() == 1


def test_mark_status_action_records_each_change(admin_client, admin_user, call_request):
    changelist = reverse("admin:strategy_calls_strategycallrequest_changelist")
    admin_client.post(changelist, {"action": "mark_scheduled", "_selected_action": [call_request.pk]})
    call_request.refresh_from_db()
    assert call_request.status == "scheduled"
    assert StatusChange.objects.get().changed_by == admin_user


def test_urgent_requests_stand_out_in_the_list(admin_client, submit):
    submit(message="I have been thinking about suicide and do not know who to tell.")
    html = admin_client.get(reverse("admin:strategy_calls_strategycallrequest_changelist")).text
    assert ">URGENT</strong>" in html


def test_csv_export(admin_client, submit):
    submit()
    submit(full_name="=HYPERLINK(\"http://evil.example\")", email="second@example.org")
    changelist = reverse("admin:strategy_calls_strategycallrequest_changelist")
    ids = list(StrategyCallRequest.objects.values_list("pk", flat=True))
    response = admin_client.post(changelist, {"action": "export_csv", "_selected_action": ids})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["email"] for row in rows] == ["visitor@example.org", "second@example.org"]
    assert rows[0]["message"].startswith("I keep losing motivation")
    assert rows[1]["full_name"].startswith("'=HYPERLINK")  # not run as a formula by a spreadsheet


def test_purge_deletes_old_closed_and_spam_only(submit):
    for n in range(5):
        submit(message=f"Request number {n} about motivation and mood.")
    rows = list(StrategyCallRequest.objects.order_by("pk"))
    old = timezone.now() - timedelta(days=100)
    StrategyCallRequest.objects.filter(pk__in=[r.pk for r in rows[:4]]).update(received=old)
    StrategyCallRequest.objects.filter(pk=rows[0].pk).update(status="closed", closed_at=old)
    StrategyCallRequest.objects.filter(pk=rows[4].pk).update(status="closed", closed_at=timezone.now())
    StrategyCallRequest.objects.filter(pk=rows[1].pk).update(status="spam", closed_at=old)
    StrategyCallRequest.objects.filter(pk=rows[2].pk).update(status="scheduled")
    out = io.StringIO()
    call_command("purge_strategy_calls", "--older-than", "90", stdout=out)
    assert "Deleted 2 request(s)" in out.getvalue() and "1 closed, 1 spam" in out.getvalue()
    assert set(StrategyCallRequest.objects.values_list("pk", flat=True)) == {rows[2].pk, rows[3].pk, rows[4].pk}


def test_purge_dry_run_deletes_nothing(call_request):
    old = timezone.now() - timedelta(days=400)
    StrategyCallRequest.objects.update(status="closed", received=old, closed_at=old)
    out = io.StringIO()
    call_command("purge_strategy_calls", "--older-than", "365", "--dry-run", stdout=out)
    assert "Would delete 1 request(s)" in out.getvalue()
    assert StrategyCallRequest.objects.count() == 1


@pytest.mark.parametrize("days", ["0", "-5"])
def test_purge_refuses_a_meaningless_age(db, days):
    with pytest.raises(CommandError, match="at least 1 day"):
        call_command("purge_strategy_calls", "--older-than", days)


def test_report_counts_requests_by_article_and_hub(admin_client, submit, make_article, make_hub):
    hub = make_hub(title="Depression Hub")
    popular = make_article(title="Popular Article", primary_hub=hub)
    quiet = make_article(title="Quiet Article", primary_hub=hub)
    for n in range(3):
        submit(source=popular.get_absolute_url(), message=f"Message number {n} about my motivation.")
    submit(source=quiet.get_absolute_url(), message="A message from the quiet article page.")
    submit(source=hub.get_absolute_url(), message="A message from the hub page itself, long enough.")
    submit(source=popular.get_absolute_url(), message="An old message from the popular page.")
    submit(source=popular.get_absolute_url(), website="spam", message="Spam from the popular page, ignored.")
    latest_real = StrategyCallRequest.objects.filter(message__startswith="An old").get()
    StrategyCallRequest.objects.filter(pk=latest_real.pk).update(received=timezone.now() - timedelta(days=60))
    response = admin_client.get(reverse("admin:strategy_calls_strategycallrequest_report"))
    assert response.status_code == 200
    articles, hubs = [rows for _, _, rows in response.context["tables"]][:2]
    assert [(row["label"], row["counts"]) for row in articles] == [
        ("Popular Article", [3, 4, 4]), ("Quiet Article", [1, 1, 1]),
    ]
    assert [(row["label"], row["counts"]) for row in hubs] == [("Depression Hub", [5, 6, 6])]
    assert "<svg" in response.text and "<rect" in response.text


def test_report_is_hidden_from_editors(client, make_staff, db):
    client.force_login(make_staff("Editors"))
    assert client.get(reverse("admin:strategy_calls_strategycallrequest_report")).status_code == 403
