"""Every status move from every status, through the model, the bulk actions and the request page (issue 17 §6)."""

import pytest
from django.urls import reverse

from strategy_calls.models import Status, StatusChange, StrategyCallRequest

MOVES = [(start, end) for start in Status for end in Status]
MOVE_IDS = [f"{start.value}-to-{end.value}" for start, end in MOVES]
CHANGELIST = "admin:strategy_calls_strategycallrequest_changelist"


@pytest.fixture
def triager(make_staff):
    return make_staff("Strategy-call triage")


def make_request(status, **fields):
    """A request as the public form leaves it: one flagged by the spam checks carries its reason."""
    return StrategyCallRequest.objects.create(
        full_name="Maya Lindqvist", email="visitor@example.org", consent=True, status=status,
        message="I keep losing motivation at work even though my mood seems fine.",
        spam_reason=StrategyCallRequest.SpamReason.HONEYPOT if status == Status.SPAM else "", **fields,
    )


def change_page_data(call_request, **overrides):
    data = {
        "status": call_request.status, "assignee": "", "notes": call_request.notes,
        "status_changes-TOTAL_FORMS": "0", "status_changes-INITIAL_FORMS": "0",
    }
    return {**data, **overrides}


def assert_moved(call_request, start, end, user):
    """Where the request ended up, its spam reason, and exactly the history row the move should leave."""
    call_request.refresh_from_db()
    assert call_request.status == end
    if end != Status.SPAM:
        assert call_request.spam_reason == ""
    elif start == Status.SPAM:
        assert call_request.spam_reason == StrategyCallRequest.SpamReason.HONEYPOT  # a no-op keeps the form's reason
    else:
        assert call_request.spam_reason == StrategyCallRequest.SpamReason.STAFF
    history = list(call_request.status_changes.values_list("from_status", "to_status", "changed_by"))
    assert history == ([] if start == end else [(start.value, end.value, user.pk)])


@pytest.mark.parametrize("start,end", MOVES, ids=MOVE_IDS)
def test_move_through_the_model(db, triager, start, end):
    call_request = make_request(start)
    change = call_request.move_to(end, by=triager)
    assert (change is None) == (start == end)
    assert_moved(call_request, start, end, triager)


@pytest.mark.parametrize("start,end", MOVES, ids=MOVE_IDS)
def test_move_through_the_bulk_action(client, triager, start, end):
    call_request = make_request(start)
    client.force_login(triager)
    # From the "All requests" queue, where closed and spam requests are listed (the default queue shows open ones).
    response = client.post(reverse(CHANGELIST) + "?queue=all",
                           {"action": f"mark_{end.value}", "_selected_action": [call_request.pk]}, follow=True)
    assert response.status_code == 200
    assert f"{0 if start == end else 1} request(s) marked {end.label.lower()}." in response.text
    assert_moved(call_request, start, end, triager)


@pytest.mark.parametrize("start,end", MOVES, ids=MOVE_IDS)
def test_move_through_the_request_page(client, triager, start, end):
    call_request = make_request(start)
    client.force_login(triager)
    change = reverse("admin:strategy_calls_strategycallrequest_change", args=[call_request.pk])
    response = client.post(change, change_page_data(call_request, status=end.value))
    assert response.status_code == 302
    assert_moved(call_request, start, end, triager)


def test_a_request_rescued_from_spam_is_pending_notification(admin_client, admin_user):
    """Out of Spam the request is a real one whose mail never went: the list says so, and retry can send it."""
    call_request = make_request(Status.SPAM)
    admin_client.post(reverse(CHANGELIST) + "?queue=all", {"action": "mark_new", "_selected_action": [call_request.pk]})
    call_request.refresh_from_db()
    assert call_request.status == Status.NEW and call_request.notification_pending
    assert StrategyCallRequest.objects.notification_pending().filter(pk=call_request.pk).exists()


def test_bulk_action_moves_a_mixed_selection_and_records_only_real_moves(client, triager):
    requests = [make_request(status) for status in Status]
    client.force_login(triager)
    response = client.post(reverse(CHANGELIST) + "?queue=all", {
        "action": "mark_closed", "_selected_action": [call_request.pk for call_request in requests],
    }, follow=True)
    assert "4 request(s) marked closed." in response.text
    assert set(StrategyCallRequest.objects.values_list("status", flat=True)) == {Status.CLOSED}
    assert sorted(StatusChange.objects.values_list("from_status", flat=True)) == sorted(
        status.value for status in Status if status != Status.CLOSED)
    assert not StrategyCallRequest.objects.exclude(spam_reason="").exists()


def test_a_page_opened_before_a_move_records_where_the_request_really_was(client, triager, make_staff):
    call_request = make_request(Status.NEW)
    stale_page = change_page_data(call_request, status=Status.CLOSED.value, notes="Left a voicemail.")
    colleague = make_staff("Strategy-call triage")
    call_request.move_to(Status.CONTACTED, by=colleague)  # meanwhile, from the list in another tab
    client.force_login(triager)
    change = reverse("admin:strategy_calls_strategycallrequest_change", args=[call_request.pk])
    assert client.post(change, stale_page).status_code == 302
    call_request.refresh_from_db()
    assert (call_request.status, call_request.notes) == (Status.CLOSED, "Left a voicemail.")
    history = list(call_request.status_changes.values_list("from_status", "to_status", "changed_by"))
    assert history == [("new", "contacted", colleague.pk), ("contacted", "closed", triager.pk)]


def test_a_move_that_fails_leaves_neither_the_status_nor_a_history_row(db, triager, monkeypatch):
    call_request = make_request(Status.SPAM)

    def refuse(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(StatusChange.objects, "create", refuse)
    with pytest.raises(RuntimeError):
        call_request.move_to(Status.CONTACTED, by=triager)
    call_request.refresh_from_db()
    assert (call_request.status, call_request.spam_reason) == (Status.SPAM, StrategyCallRequest.SpamReason.HONEYPOT)
    assert not StatusChange.objects.exists()


def test_an_unknown_status_is_refused(db):
    call_request = make_request(Status.NEW)
    with pytest.raises(ValueError):
        call_request.move_to("archived")
    assert not StatusChange.objects.exists()
