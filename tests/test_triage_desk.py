"""The triage desk (issue 17): the queue, the request page's timeline, assignment, repeat contacts, export,
retention, and that every look at a request leaves an access record."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mindlab.models import SiteSettings
from strategy_calls import crisis
from strategy_calls.models import AccessRecord, Activity, ReplyTemplate, StatusChange, StrategyCallRequest

from .test_strategy_calls import form_data

QUEUE = reverse("admin:strategy_calls_strategycallrequest_changelist")
TRIAGE = "Strategy-call triage"


def change_url(call_request):
    return reverse("admin:strategy_calls_strategycallrequest_change", args=[call_request.pk])


@pytest.fixture
def make_request(db):
    def make(hours_ago=1, **overrides):
        fields = {"full_name": "Maya Lindqvist", "email": "maya@example.org",
                  "message": "I keep losing motivation at work even though my mood seems fine.", "consent": True}
        fields.update(overrides)
        call_request = StrategyCallRequest.objects.create(**fields)
        StrategyCallRequest.objects.filter(pk=call_request.pk).update(
            received=timezone.now() - timedelta(hours=hours_ago))
        call_request.refresh_from_db()
        return call_request

    return make


@pytest.fixture
def triager(make_staff):
    user = make_staff(TRIAGE)
    user.email = f"{user.username}@example.org"
    user.save()
    return user


@pytest.fixture
def desk(client, triager):
    client.force_login(triager)
    return client


def post_change(client, call_request, **extra):
    data = {"status": call_request.status, "assignee": call_request.assignee_id or "", "notes": call_request.notes,
            "new_note": "", "status_changes-TOTAL_FORMS": "0", "status_changes-INITIAL_FORMS": "0"}
    data.update(extra)
    return client.post(change_url(call_request), data)


def queue_names(response):
    return [row.full_name for row in response.context["cl"].result_list]


# §1 Crisis first: by hand, the sender's acknowledgement, what the notification says

def test_staff_mark_and_unmark_urgent_by_hand_and_it_is_on_the_timeline(desk, triager, make_request):
    call_request = make_request()
    response = post_change(desk, call_request, _urgent="1")
    assert response.status_code == 302 and response["Location"].startswith(change_url(call_request))
    call_request.refresh_from_db()
    assert call_request.is_urgent
    post_change(desk, call_request, _urgent="0")
    call_request.refresh_from_db()
    assert not call_request.is_urgent
    assert [(a.kind, a.user) for a in call_request.activities.all()] == [("urgent", triager), ("not-urgent", triager)]
    page = desk.get(change_url(call_request)).text
    assert "Marked urgent" in page and "Marked not urgent" in page


@pytest.fixture
def submit(db, client, django_capture_on_commit_callbacks, settings):
    settings.STRATEGY_CALL_NOTIFY_EMAILS = ["triage@example.org"]

    def submit(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/strategy-call/", form_data(**overrides))

    return submit


def test_urgent_request_gets_its_own_acknowledgement_with_the_crisis_line_first(submit, mailoutbox):
    site = SiteSettings.current()
    response = submit(message="I have been thinking about suicide and do not know who to tell.")
    assert response["Location"].endswith("?urgent=1")
    acknowledgement = next(m for m in mailoutbox if m.to == ["visitor@example.org"])
    assert "crisis" in acknowledgement.subject
    first_lines = acknowledgement.body.splitlines()[:3]
    assert "If you are in crisis" in first_lines[0] and site.crisis_phone in "\n".join(first_lines)


def test_urgent_thank_you_page_puts_the_crisis_line_first_and_promises_no_two_day_wait(client, db):
    html = client.get("/strategy-call/thanks/?urgent=1").text
    assert html.index('class="crisis crisis--first"') < html.index("What happens next")
    assert "as soon as they can" in html and "two working days" not in html
    assert "two working days" in client.get("/strategy-call/thanks/").text


def test_ordinary_request_keeps_the_ordinary_acknowledgement(submit, mailoutbox):
    submit()
    acknowledgement = next(m for m in mailoutbox if m.to == ["visitor@example.org"])
    assert acknowledgement.subject == "We received your request"


def test_staff_notification_says_which_warning_signs_were_matched(submit, mailoutbox, monkeypatch):
    monkeypatch.setattr(crisis, "find_warning_signs", lambda text: ["wanting to die", "a plan or means"])
    submit(message="I want to die and I have a plan for how, I have been thinking about it for weeks.")
    staff = next(m for m in mailoutbox if m.to == ["triage@example.org"])
    assert staff.subject.startswith("URGENT:")
    assert "Matched warning signs: wanting to die; a plan or means." in staff.body


def test_a_failing_matcher_never_stops_the_notification(submit, mailoutbox, monkeypatch):
    def broken(text):
        raise RuntimeError("matcher broke")

    monkeypatch.setattr(crisis, "find_warning_signs", broken)
    submit(message="I have been thinking about suicide and do not know who to tell.")
    assert any(m.to == ["triage@example.org"] for m in mailoutbox)


# §2 The queue

def test_queue_is_the_landing_page_open_requests_urgent_first_then_oldest(desk, make_request):
    make_request(full_name="Newest", hours_ago=1)
    make_request(full_name="Oldest", hours_ago=30)
    make_request(full_name="Urgent new", hours_ago=2, is_urgent=True)
    make_request(full_name="Urgent old", hours_ago=5, is_urgent=True)
    make_request(full_name="Closed", hours_ago=50, status="closed")
    make_request(full_name="Spam", hours_ago=60, status="spam", spam_reason="honeypot")
    response = desk.get(QUEUE)
    assert queue_names(response) == ["Urgent old", "Urgent new", "Oldest", "Newest"]


def test_queue_row_shows_name_snippet_source_age_and_overdue_badge(desk, make_request, make_article):
    site = SiteSettings.current()
    site.response_target_hours = 24
    site.save()
    article = make_article(title="Why motivation disappears")
    make_request(full_name="Overdue Person", hours_ago=30, source_path=article.get_absolute_url(),
                 source_article=article, message="Line one of the message\nand line two " + "x" * 300)
    make_request(full_name="Fresh Person", hours_ago=2, source_path="/")
    html = desk.get(QUEUE).text
    assert "Overdue Person" in html and "Line one of the message and line two" in html
    assert "x" * 300 not in html  # a snippet, not the whole message
    assert "Why motivation disappears" in html and "Home page" in html
    assert html.count("desk-badge--overdue") == 1 and "over 24 h" in html
    assert "30 h" in html and "2 h" in html


def test_contacted_request_is_not_overdue_and_zero_turns_the_badge_off(desk, make_request):
    make_request(full_name="Contacted", hours_ago=100, status="contacted")
    assert "desk-badge--overdue" not in desk.get(QUEUE).text
    make_request(full_name="New", hours_ago=100)
    assert "desk-badge--overdue" in desk.get(QUEUE).text
    SiteSettings.objects.update(response_target_hours=0)
    assert "desk-badge--overdue" not in desk.get(QUEUE).text


def test_quick_filters_mine_unassigned_urgent_waiting(desk, triager, make_staff, make_request):
    colleague = make_staff(TRIAGE)
    make_request(full_name="Mine", assignee=triager)
    make_request(full_name="Theirs", assignee=colleague, status="contacted")
    make_request(full_name="Nobody's", is_urgent=True)
    make_request(full_name="Closed mine", assignee=triager, status="closed")
    assert queue_names(desk.get(QUEUE + "?queue=mine")) == ["Mine"]
    assert queue_names(desk.get(QUEUE + "?queue=unassigned")) == ["Nobody's"]
    assert queue_names(desk.get(QUEUE + "?queue=urgent")) == ["Nobody's"]
    assert queue_names(desk.get(QUEUE + "?queue=waiting")) == ["Theirs"]
    assert len(queue_names(desk.get(QUEUE + "?queue=all"))) == 4
    assert queue_names(desk.get(QUEUE + "?status__exact=closed")) == ["Closed mine"]
    html = desk.get(QUEUE).text
    for label in ["Mine", "Unassigned", "Urgent", "Waiting on them"]:
        assert f">{label}</a>" in html


def test_queue_is_keyboard_and_csp_friendly(desk, make_request):
    make_request()
    html = desk.get(QUEUE).text
    assert 'href="#result_list">Skip to the first request' in html
    assert "admin/strategy_calls/desk.css" in html
    assert " style=" not in html.split('id="changelist"')[1]  # strict CSP: no inline styles in the queue
    assert "<script>" not in html


def test_save_and_open_next_follows_the_queue_order(desk, make_request):
    first = make_request(full_name="Urgent", hours_ago=1, is_urgent=True)
    second = make_request(full_name="Oldest", hours_ago=40)
    third = make_request(full_name="Newer", hours_ago=3)
    response = post_change(desk, first, _saveandnext="1")
    assert response.status_code == 302 and response["Location"] == change_url(second)
    response = post_change(desk, second, status="closed", _saveandnext="1")
    assert response["Location"] == change_url(third)
    response = post_change(desk, third, _saveandnext="1")
    assert response["Location"] == change_url(first)  # back to what is still open before it
    second.refresh_from_db()
    assert second.status == "closed"


def test_save_and_open_next_keeps_the_quick_filter_and_ends_at_the_queue(desk, triager, make_request):
    mine = make_request(full_name="Mine", assignee=triager, hours_ago=10)
    make_request(full_name="Not mine", hours_ago=5)
    desk_url = change_url(mine) + "?_changelist_filters=queue%3Dmine"
    response = desk.post(desk_url, {"status": "closed", "assignee": triager.pk, "notes": "", "new_note": "",
                                    "status_changes-TOTAL_FORMS": "0", "status_changes-INITIAL_FORMS": "0",
                                    "_saveandnext": "1"})
    assert response.status_code == 302 and response["Location"] == QUEUE + "?queue=mine"


def test_request_page_has_save_and_open_next(desk, make_request):
    assert 'name="_saveandnext"' in desk.get(change_url(make_request())).text


# §3 The timeline

def test_note_and_call_are_logged_in_one_click_with_author_and_time(desk, triager, make_request):
    call_request = make_request()
    response = post_change(desk, call_request, new_note="Left a voicemail, will try again at 4.",
                           _log="call-no-answer")
    assert response.status_code == 302
    kinds = [(a.kind, a.text, a.user) for a in call_request.activities.all()]
    assert kinds == [("note", "Left a voicemail, will try again at 4.", triager), ("call-no-answer", "", triager)]
    page = desk.get(change_url(call_request)).text
    assert "Called, no answer" in page and "Left a voicemail, will try again at 4." in page
    assert triager.username in page.split('class="desk-timeline"')[1]


def test_timeline_lists_status_changes_assignments_views_and_emails(desk, triager, make_request):
    call_request = make_request()
    StrategyCallRequest.objects.filter(pk=call_request.pk).update(acknowledged_at=timezone.now())
    desk.get(change_url(call_request))
    post_change(desk, call_request, status="contacted", assignee=triager.pk, _log="email")
    call_request.refresh_from_db()
    texts = [text for _, _, text, _ in call_request.timeline()]
    assert texts[0] == "Request received"
    for expected in ["Acknowledgement emailed to the sender", "Viewed", "Status: New → Contacted",
                     f"Assigned: to {triager.username}", "Emailed them"]:
        assert expected in texts
    moments = [at for at, *_ in call_request.timeline()]
    assert moments == sorted(moments)


def test_click_to_email_and_click_to_call(desk, make_request):
    page = desk.get(change_url(make_request(phone="+1 (212) 555-0147"))).text
    assert 'href="mailto:maya@example.org"' in page and 'href="tel:+12125550147"' in page
    page = desk.get(change_url(make_request(phone="(212) 555-0147 ext. 12"))).text
    assert 'href="tel:2125550147"' in page


def test_reply_templates_become_mailto_links_and_triage_can_edit_them(desk, make_request):
    response = desk.post(reverse("admin:strategy_calls_replytemplate_add"), {
        "name": "Quick hello", "subject": "Your strategy call", "body": "Hello {first_name}, when suits you?"})
    assert response.status_code == 302
    template = ReplyTemplate.objects.get(name="Quick hello")
    assert desk.get(reverse("admin:strategy_calls_replytemplate_change", args=[template.pk])).status_code == 200
    page = desk.get(change_url(make_request())).text
    mailto = "mailto:maya@example.org?subject=Your%20strategy%20call&amp;body=Hello%20Maya%2C%20when%20suits%20you%3F"
    assert mailto in page


# §4 Assignment

def test_only_triage_members_can_be_assigned(desk, make_staff, make_request):
    editor = make_staff("Editors")
    call_request = make_request()
    response = post_change(desk, call_request, assignee=editor.pk)
    assert response.status_code == 200 and response.context["adminform"].form.errors["assignee"]
    call_request.refresh_from_db()
    assert call_request.assignee is None


def test_assignee_is_told_by_email_through_the_task_queue(desk, make_staff, make_request, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    colleague = make_staff(TRIAGE)
    colleague.email = "colleague@example.org"
    colleague.save()
    call_request = make_request(is_urgent=True)
    with django_capture_on_commit_callbacks(execute=True):
        post_change(desk, call_request, assignee=colleague.pk)
    [message] = mailoutbox
    assert message.to == ["colleague@example.org"]
    assert message.subject == f"URGENT: Strategy-call request #{call_request.pk} is assigned to you"
    assert call_request.get_admin_url() in message.body and "Maya" not in message.body


def test_assign_to_me_in_one_click_sends_no_email(desk, triager, make_request, mailoutbox,
                                                  django_capture_on_commit_callbacks):
    call_request = make_request()
    with django_capture_on_commit_callbacks(execute=True):
        post_change(desk, call_request, _assign_me="1")
    call_request.refresh_from_db()
    assert call_request.assignee == triager and mailoutbox == []
    assert call_request.activities.get().kind == "assigned"


def test_superuser_outside_the_group_is_not_assigned_to_themselves(admin_client, make_request):
    call_request = make_request()
    post_change(admin_client, call_request, _assign_me="1")
    call_request.refresh_from_db()
    assert call_request.assignee is None


# §5 Repeat contacts

def test_requests_from_the_same_email_or_phone_are_linked(desk, make_request):
    first = make_request(email="Maya@Example.org", phone="+1 212 555 0147", hours_ago=300)
    by_email = make_request(email="maya@example.org", hours_ago=100)
    by_phone = make_request(email="other@example.org", phone="+1 (212) 555-0147", hours_ago=1)
    stranger = make_request(email="stranger@example.org", phone="+1 999 555 0000")
    assert set(first.repeat_contacts()) == {by_email, by_phone}
    assert set(by_email.repeat_contacts()) == {first}
    assert list(stranger.repeat_contacts()) == []
    page = desk.get(change_url(first)).text
    assert change_url(by_email) in page and change_url(by_phone) in page
    html = desk.get(QUEUE).text
    assert html.count("2 other requests") == 1 and html.count("1 other request<") == 2


# §7 Export, attribution and retention

def test_csv_export_is_excel_ready(admin_client, make_request, make_article, triager, settings):
    settings.TIME_ZONE = "America/New_York"
    article = make_article(title="Why motivation disappears")
    call_request = make_request(phone="0049 30 1234567", assignee=triager, source_article=article,
                                source_path=article.get_absolute_url(),
                                utm={"utm_source": "newsletter", "utm_campaign": "spring"})
    plus = make_request(phone="+1 (212) 555-0147", full_name="=cmd|' /C calc'!A0", email="b@example.org")
    received = timezone.localtime(call_request.received, timezone.get_current_timezone())
    response = admin_client.post(QUEUE, {"action": "export_csv",
                                         "_selected_action": [call_request.pk, plus.pk]})
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    first = next(row for row in rows if row["id"] == str(call_request.pk))
    assert first["received"] == received.strftime("%Y-%m-%d %H:%M")
    assert first["phone"] == '="0049 30 1234567"'  # Excel shows the text; no lost zeros
    assert (first["assignee"], first["source_title"], first["utm_source"], first["utm_campaign"]) == (
        triager.username, "Why motivation disappears", "newsletter", "spring")
    second = next(row for row in rows if row["id"] == str(plus.pk))
    assert second["phone"] == '="+1 (212) 555-0147"'
    assert second["full_name"].startswith("'=")  # formula-safety kept for everything the sender typed


def test_a_phone_with_other_characters_is_never_a_formula(admin_client, make_request):
    call_request = make_request(phone='=1+1"&HYPERLINK(')
    response = admin_client.post(QUEUE, {"action": "export_csv", "_selected_action": [call_request.pk]})
    [row] = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert row["phone"].startswith("'=")


def test_report_counts_home_page_no_source_and_campaigns(admin_client, make_request):
    make_request(source_path="/", utm={"utm_campaign": "spring"})
    make_request(source_path="/", utm={"utm_campaign": "spring"})
    make_request(source_path="", utm={"utm_campaign": "autumn"})
    make_request(source_path="")
    make_request(source_path="", status="spam", spam_reason="honeypot", utm={"utm_campaign": "spring"})
    response = admin_client.get(reverse("admin:strategy_calls_strategycallrequest_report"))
    tables = {heading: rows for heading, _, rows in response.context["tables"]}
    assert [(r["label"], r["counts"]) for r in tables["Home page and no source"]] == [
        ("Home page", [2, 2, 2]), ("No source", [2, 2, 2])]
    assert [(r["label"], r["counts"]) for r in tables["UTM campaigns"]] == [
        ("spring", [2, 2, 2]), ("autumn", [1, 1, 1])]


def test_closing_sets_closed_at_and_reopening_clears_it(desk, admin_client, make_request):
    call_request = make_request()
    assert call_request.closed_at is None
    post_change(desk, call_request, status="closed")
    call_request.refresh_from_db()
    assert call_request.closed_at is not None
    post_change(desk, call_request, status="contacted")
    call_request.refresh_from_db()
    assert call_request.closed_at is None
    admin_client.post(QUEUE, {"action": "mark_closed", "_selected_action": [call_request.pk]})
    call_request.refresh_from_db()
    assert call_request.status == "closed" and call_request.closed_at is not None


def test_retention_is_measured_from_closing_with_the_period_from_settings(settings, make_request):
    settings.STRATEGY_CALL_RETENTION_DAYS = 30
    long_open_recently_closed = make_request(hours_ago=24 * 400, status="closed")
    closed_long_ago = make_request(hours_ago=24 * 400, status="closed")
    StrategyCallRequest.objects.filter(pk=closed_long_ago.pk).update(closed_at=timezone.now() - timedelta(days=31))
    out = io.StringIO()
    call_command("purge_strategy_calls", stdout=out)
    assert "Deleted 1 request(s)" in out.getvalue()
    assert list(StrategyCallRequest.objects.all()) == [long_open_recently_closed]


def test_open_requests_past_retention_are_flagged_not_purged(desk, settings, make_request):
    settings.STRATEGY_CALL_RETENTION_DAYS = 30
    forgotten = make_request(full_name="Forgotten", hours_ago=24 * 40)
    make_request(full_name="Recent")
    out = io.StringIO()
    call_command("purge_strategy_calls", stdout=out)
    assert "1 open request(s)" in out.getvalue() and StrategyCallRequest.objects.filter(pk=forgotten.pk).exists()
    html = desk.get(QUEUE).text
    assert html.count("past retention</span>") == 1
    assert queue_names(desk.get(QUEUE + "?queue=past-retention")) == ["Forgotten"]


def test_retention_dry_run_view_lists_what_the_purge_would_delete(desk, settings, make_request):
    settings.STRATEGY_CALL_RETENTION_DAYS = 30
    due = make_request(status="closed", full_name="Due Person")
    StrategyCallRequest.objects.filter(pk=due.pk).update(closed_at=timezone.now() - timedelta(days=31))
    make_request(status="closed")
    response = desk.get(reverse("admin:strategy_calls_strategycallrequest_retention"))
    assert response.status_code == 200
    assert [r.pk for r in response.context["doomed"]] == [due.pk]
    assert "Due Person" not in response.text  # IDs only: no personal data on this page
    assert StrategyCallRequest.objects.filter(pk=due.pk).exists()


# Privacy: only the triage group and superusers, and every look is recorded

@pytest.mark.parametrize("name", ["changelist", "report", "retention"])
def test_editors_see_none_of_the_desk(client, make_staff, make_request, name):
    make_request()
    client.force_login(make_staff("Editors"))
    assert client.get(reverse(f"admin:strategy_calls_strategycallrequest_{name}")).status_code == 403
    assert client.get(reverse("admin:strategy_calls_replytemplate_changelist")).status_code == 403


def test_every_look_at_a_request_is_recorded(desk, triager, make_request):
    shown = [make_request(full_name=f"Person {n}") for n in range(3)]
    desk.get(QUEUE)
    assert AccessRecord.objects.filter(action="listed", user=triager).count() == 3
    desk.get(change_url(shown[0]))
    assert AccessRecord.objects.filter(action="viewed", user=triager, request=shown[0]).count() == 1
    desk.post(QUEUE, {"action": "export_csv", "_selected_action": [r.pk for r in shown]})
    assert AccessRecord.objects.filter(action="exported", user=triager).count() == 3
    # The timeline shows the views and exports, not every time a row passed by in the queue.
    texts = [text for _, _, text, _ in shown[0].timeline()]
    assert "Viewed" in texts and "Exported as CSV" in texts and "Seen in the queue" not in texts


def test_triage_group_may_edit_reply_templates_but_not_delete_requests_or_read_access_records(triager):
    group = Group.objects.get(name=TRIAGE)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"add_replytemplate", "change_replytemplate", "view_replytemplate", "delete_replytemplate"} <= codenames
    assert "delete_strategycallrequest" not in codenames and "view_accessrecord" not in codenames


def test_a_note_too_long_is_a_form_error_not_a_500(desk, make_request):
    call_request = make_request()
    response = post_change(desk, call_request, new_note="x" * 5001)
    assert response.status_code == 200 and "new_note" in response.context["adminform"].form.errors
    assert not Activity.objects.exists() and not StatusChange.objects.exists()


def test_no_inline_style_on_the_request_page(desk, make_request):
    html = desk.get(change_url(make_request(is_urgent=True))).text
    content = html.split('id="content"')[1]
    assert not re.search(r"<[^>]+\sstyle=", content)
