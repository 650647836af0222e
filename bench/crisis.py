"""What crisis detection costs a worker (strategy_calls/crisis.py): `python -m bench.crisis`, also run by `make bench`.

In-process, no database: the memory and time of loading the crisis model once, then the time per message
of the rules and of the model over the test messages (tests/crisis_corpus.py), and of a 5,000-character
message (the form's longest). Results: docs/performance.md.
"""

import os
import statistics
import time


def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _timed(function, messages):
    """Median and 95th percentile of the CPU time per message, in ms (CPU time: steadier than the clock
    on a machine that other work shares)."""
    times = []
    for message in messages:
        started = time.process_time()
        function(message)
        times.append((time.process_time() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)]


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mindlab.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # no request is served: only the settings need to load
    import django

    django.setup()
    from strategy_calls import crisis, crisis_model
    from tests.crisis_corpus import NOT_URGENT, URGENT

    messages = URGENT + NOT_URGENT
    before = rss_mb()
    started = time.perf_counter()
    crisis_model.score("warm up")
    load_s = time.perf_counter() - started  # the clock: loading is mostly reading files
    after = rss_mb()
    rules = _timed(crisis.find_warning_signs, messages)
    model = _timed(crisis_model.score, messages)
    longest = (" ".join(NOT_URGENT) * 2)[:5000]
    long_model = _timed(crisis_model.score, [longest] * 5)
    print(f"crisis detection: model loaded in {load_s:.2f} s, +{after - before:.0f} MB; CPU time per message "
          f"of the corpus (median, 95th percentile): rules {rules[0]:.2f} / {rules[1]:.2f} ms, model "
          f"{model[0]:.1f} / {model[1]:.1f} ms; a 5,000-character message: model {long_model[0]:.0f} ms; "
          f"memory after scoring {rss_mb() - before:+.0f} MB", flush=True)


if __name__ == "__main__":
    main()
