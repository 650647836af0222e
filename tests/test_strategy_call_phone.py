"""The public form takes phone numbers the way its help text says people type them (issue 17 §8)."""

import pytest

from strategy_calls.models import StrategyCallRequest
from tests.test_strategy_calls import URL, form_data


@pytest.fixture
def send(db, client, django_capture_on_commit_callbacks, settings):
    settings.STRATEGY_CALL_NOTIFY_EMAILS = ["triage@example.org"]

    def send(phone):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, form_data(phone=phone))

    return send


@pytest.mark.parametrize("typed,stored", [
    ("(212) 555-0147", "+1 212-555-0147"),
    ("212.555.0147", "+1 212-555-0147"),
    ("212 555 0147", "+1 212-555-0147"),
    ("212-555-0147", "+1 212-555-0147"),
    ("2125550147", "+1 212-555-0147"),
    ("1-212-555-0147", "+1 212-555-0147"),
    ("+1 (212) 555-0147", "+1 212-555-0147"),
    ("  (212)555-0147  ", "+1 212-555-0147"),
    ("(212) 555-0147 ext. 22", "+1 212-555-0147 ext. 22"),
    ("+44 20 7946 0958", "+44 20 7946 0958"),
    ("+44 (0)20 7946 0958", "+44 20 7946 0958"),
    ("+442079460958", "+44 20 7946 0958"),
    ("+33 1 42 68 53 00", "+33 1 42 68 53 00"),
    ("+61 2 9374 4000", "+61 2 9374 4000"),
], ids=lambda value: value.strip())
def test_the_formats_the_help_text_promises_are_accepted_and_stored_readably(send, typed, stored):
    response = send(typed)
    assert response.status_code == 303, response.context["form"].errors
    assert StrategyCallRequest.objects.get().phone == stored


def test_no_phone_is_fine(send):
    assert send("").status_code == 303
    assert StrategyCallRequest.objects.get().phone == ""


def test_the_help_text_shows_the_formats(client, db):
    html = client.get(URL).text
    assert "(212) 555-0147" in html and "+44 20 7946 0958" in html


@pytest.mark.parametrize("typed,message", [
    ("555-0147", "Please add the area code"),
    ("12-34", "too short"),
    ("020 7946 0958", "starts with + and its country code"),
    ("+999 20 7946 0958", "country code after the + is not one we know"),
    ("(012) 555-0147", "does not look like a phone number in use"),
    ("call me maybe", "does not look like a phone number in use"),
    ("+1 " + "2" * 31, "too long"),
    ("+1 " + "2" * 40, "at most 40 characters"),
    ("212\x00555 0147", "Null characters are not allowed"),
], ids=["no-area-code", "too-short", "foreign-without-country-code", "unknown-country-code", "no-such-area-code",
        "words", "too-long", "longer-than-anyone-types", "nul-byte"])
def test_a_bad_number_gets_a_clear_error_and_saves_nothing(send, typed, message):
    response = send(typed)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["phone"])
    assert message in response.text
    assert 'value="Maya Lindqvist"' in response.text  # the rest of what was typed is kept
    assert StrategyCallRequest.objects.count() == 0


def test_numbers_without_a_country_code_follow_the_region_setting(send, settings):
    settings.STRATEGY_CALL_PHONE_REGION = "GB"
    assert send("020 7946 0958").status_code == 303
    assert StrategyCallRequest.objects.get().phone == "+44 20 7946 0958"
