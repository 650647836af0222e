"""Crisis detection (strategy_calls/crisis.py): the corpus, the wordings, denials and idioms (issue 17 §1)."""

import time

import pytest
from django.urls import reverse

from strategy_calls import crisis
from strategy_calls.models import StrategyCallRequest
from tests import crisis_heldout
from tests.crisis_corpus import HARD_CASES, NOT_URGENT, URGENT
from tests.test_strategy_calls import URL, form_data

REQUIRED_UNFLAGGED_RATE = 0.85


@pytest.mark.parametrize("message", URGENT)
def test_every_urgent_message_in_the_corpus_is_flagged(message):
    assert crisis.find_warning_signs(message), f"missed: {message!r} (normalised: {crisis.normalise(message)!r})"


@pytest.mark.parametrize("message", [message for message in NOT_URGENT if message not in HARD_CASES])
def test_ordinary_messages_denials_and_idioms_are_not_flagged(message):
    assert crisis.find_warning_signs(message) == []


def test_corpus_rates(capsys):
    """Both rates, printed with the test run's output: every urgent message flagged, 85%+ of the rest not."""
    assert len(URGENT) >= 40 and len(NOT_URGENT) >= 40
    flagged = sum(crisis.is_urgent(message) for message in URGENT)
    false_alarms = [message for message in NOT_URGENT if crisis.is_urgent(message)]
    unflagged_rate = 1 - len(false_alarms) / len(NOT_URGENT)
    with capsys.disabled():
        print(f"\ncrisis corpus: {flagged}/{len(URGENT)} urgent messages flagged ({flagged / len(URGENT):.0%}); "
              f"{len(NOT_URGENT) - len(false_alarms)}/{len(NOT_URGENT)} other messages left unflagged "
              f"({unflagged_rate:.1%}); false alarms: {false_alarms}")
    assert flagged == len(URGENT)
    assert unflagged_rate >= REQUIRED_UNFLAGGED_RATE


# The held-out batches: each was measured once before the fixes that followed it (see tests/crisis_heldout.py
# and docs/strategy-calls.md for those first figures); now they must pass like the corpus.
HELDOUT = {
    batch: (getattr(crisis_heldout, f"HELDOUT_{batch}_URGENT"), getattr(crisis_heldout, f"HELDOUT_{batch}_NOT_URGENT"))
    for batch in (1, 2, 3, 4)
}


@pytest.mark.parametrize("message", [message for urgent, _ in HELDOUT.values() for message in urgent])
def test_every_urgent_message_in_the_held_out_batches_is_flagged(message):
    assert crisis.find_warning_signs(message), f"missed: {message!r} (normalised: {crisis.normalise(message)!r})"


@pytest.mark.parametrize("batch", HELDOUT)
def test_held_out_rates(batch, capsys):
    """Per batch: every urgent message flagged, 85%+ of the rest not; both rates printed."""
    urgent, others = HELDOUT[batch]
    assert len(urgent) >= 30 and len(others) >= 30
    flagged = sum(crisis.is_urgent(message) for message in urgent)
    false_alarms = [message for message in others if crisis.is_urgent(message)]
    unflagged_rate = 1 - len(false_alarms) / len(others)
    with capsys.disabled():
        print(f"\ncrisis held-out batch {batch}: {flagged}/{len(urgent)} urgent flagged ({flagged / len(urgent):.0%}); "
              f"{len(others) - len(false_alarms)}/{len(others)} others left unflagged ({unflagged_rate:.1%})")
    assert flagged == len(urgent)
    assert unflagged_rate >= REQUIRED_UNFLAGGED_RATE


def test_the_second_layer_names_the_risk_wording_it_found():
    assert crisis.find_warning_signs("I keep thinking everyone would manage fine without me") == [
        "possible risk wording: “manage fine without me”"]
    assert crisis.find_warning_signs("I feel like I'm just taking up space") == [
        "possible risk wording: “taking up space”"]


def test_the_second_layer_adds_nothing_when_a_named_sign_matched():
    assert crisis.find_warning_signs("I feel hopeless") == ["feeling hopeless"]


@pytest.mark.parametrize("message", [
    "I'm dead tired after night shifts", "I've been killing it at work", "I'd die for a coffee",
    "My phone battery is dead", "I'm drowning in housework since the twins", "I gave up coffee last month",
    "I'm not suicidal and I have never hurt myself", "My project is dead in the water",
    "I'd love to disappear to the mountains for a weekend", "I'm hopeless with names",
])
def test_the_second_layer_leaves_idioms_and_plain_denials_alone(message):
    assert crisis.find_warning_signs(message) == []


@pytest.mark.parametrize("message", [
    "i have ben thinking of suiside alot latley", "im so tired of existing", "I dont see why im still here",
    "it would be so easy to just let go",
])
def test_the_second_layer_reads_misspellings_unsure_negations_and_messages_that_name_nobody(message):
    assert crisis.is_urgent(message)


def test_detection_is_fast():
    messages = URGENT + NOT_URGENT
    started = time.perf_counter()
    for message in messages:
        crisis.find_warning_signs(message)
    assert (time.perf_counter() - started) / len(messages) < 0.005
    long_message = " ".join(NOT_URGENT[:40])  # about 2,500 characters
    started = time.perf_counter()
    crisis.find_warning_signs(long_message)
    assert time.perf_counter() - started < 0.05


def test_the_issues_two_missed_messages_name_their_signs():
    assert crisis.find_warning_signs(
        "I don't see the point in going on and I have started giving my things away"
    ) == ["no reason to live", "giving possessions away"]
    assert crisis.find_warning_signs("I can't do this anymore… I just want it all to stop") == [
        "unbearable pain", "wanting it all to stop"]


@pytest.mark.parametrize("message", [
    "I can't take it anymore", "I can’t take it anymore", "I cant take it anymore", "I cannot take it anymore",
    "I can not take it any more", "I CAN'T TAKE IT ANYMORE!!!", "i can't take it anymore...",
    "I can't take it anymore… please call", "I can't take it — anymore",
])
def test_spellings_apostrophes_case_and_ellipses_are_one_wording(message):
    assert "unbearable pain" in crisis.find_warning_signs(message)


@pytest.mark.parametrize("message,sign", [
    ("I have been self-harming", "self-harm"),
    ("I have been self harming", "self-harm"),
    ("I have been selfharming", "self-harm"),
    ("I have been self‑harming", "self-harm"),  # a non-breaking hyphen, as word processors type it
    ("I'm thinking about ending it all", "talking about suicide"),
    ("Im thinking about ending it all", "talking about suicide"),
    ("I’m thinking about ending it all", "talking about suicide"),
    ("I dont want to be here anymore", "wanting to die"),
    ("I don’t want to be here any more", "wanting to die"),
    ("everyone would be better off without me", "being a burden"),
    ("I wish I could just vanish", "wanting to disappear"),
    ("I've been stockpiling my meds", "a plan or means"),
    ("I wrote goodbye letters to my family", "saying goodbye"),
    ("I feel hopeless", "feeling hopeless"),
    ("My daughter says she wants to die", "wanting to die"),
])
def test_common_wordings_of_each_sign(message, sign):
    assert sign in crisis.find_warning_signs(message)


@pytest.mark.parametrize("message", [
    "I'm not suicidal", "I am not suicidal, just tired", "I've never self-harmed.", "I would never hurt myself.",
    "No suicidal thoughts, no self-harm.", "I don't want to die, I want to get better at planning.",
    "I'm not going to kill myself, I promise my GP asked that already.",
    "I know I'm not suicidal, I just can't focus.",
])
def test_a_plain_denial_is_not_a_sign(message):
    assert crisis.find_warning_signs(message) == []


@pytest.mark.parametrize("message", [
    "I'm not really suicidal", "I'm not suicidal right now", "I'm not actively suicidal",
    "I don't think I'm suicidal", "I'm no longer suicidal but I was in the spring", "I'm not suicidal yet",
    "I'm not sure if I'm suicidal", "I'm not saying I want to die",
    "I'm not suicidal but I wish I could disappear",
    "I don't know if I'm suicidal",
])
def test_a_hedged_denial_is_still_flagged(message):
    assert crisis.find_warning_signs(message)


@pytest.mark.parametrize("message", [
    "I am drowning in email", "this traffic is killing me", "I could just die of embarrassment",
    "dying to try the new café", "My feet are killing me after the conference", "I nearly died laughing",
    "I was bored to death", "the cake was to die for", "I want to end my contract early",
    "I said goodbye to my old team last week", "I want the headaches to stop",
    "I would love to disappear on a beach holiday for a month", "I take all my tablets in the morning",
    "I'm hopeless at cooking", "the deadline is killing me", "I cut myself while cooking",
])
def test_everyday_idioms_are_not_flagged(message):
    assert crisis.find_warning_signs(message) == []


def test_extra_phrases_from_settings_count_as_signs(settings):
    settings.STRATEGY_CALL_CRISIS_PHRASES = ["hopeless", "can't breathe"]
    assert crisis.find_warning_signs("Some nights I CAN’T BREATHE with worry") == ["“can't breathe”"]
    assert crisis.find_warning_signs("I'm fine really") == []


def test_the_public_form_flags_the_issues_message_urgent(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(
            message="I don't see the point in going on and I have started giving my things away"))
    assert response["Location"] == reverse("strategy_calls:thanks") + "?urgent=1"
    assert StrategyCallRequest.objects.get().is_urgent


def test_the_public_form_leaves_a_plain_denial_unflagged(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(message="I'm not suicidal, I just want help with my focus at work."))
    assert response["Location"] == reverse("strategy_calls:thanks")
    assert not StrategyCallRequest.objects.get().is_urgent
