"""How long the reviewer's diff (mindlab/diff.py) takes on a 3,000-word body: `python -m bench.diff`.

In-process, no database: the body is made of the generated library's sentences (transfer/demo_library.py),
then edited as an editor would (a few words in three paragraphs, a sentence added, a paragraph moved, one
removed, one added) and, for the worse cases, with every paragraph edited or all of it rewritten. Prints
the median of 20 runs of `field_changes` and the size of the HTML it makes. Results: docs/performance.md.
"""

import os
import random
import statistics
import time


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mindlab.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # no request is served: only the settings need to load
    import django

    django.setup()
    from articles.models import Article
    from mindlab.diff import field_changes
    from transfer.demo_library import SENTENCES, body_variant

    paragraphs, other = [], []
    for n in range(1, 4):
        paragraphs += body_variant(n)[1].split("\n\n")
        other += body_variant(n + 10)[1].split("\n\n")
    body = []
    while sum(len(paragraph.split()) for paragraph in body) < 3000:
        body.append(paragraphs[len(body)])
    few = list(body)
    few[5] = few[5].replace(" the ", " a ", 1).replace(".", ", as a 2024 trial showed.", 1)
    few[20] = few[20] + " " + SENTENCES[0]
    few[33] = few[33].replace(" and ", " or ", 2)
    few.insert(40, few.pop(12))  # moved
    del few[50]
    few.insert(55, "A new paragraph the reviewer must read in full before approving it.")
    rng = random.Random(1)
    every = [paragraph.replace(" ", f" {rng.choice(['really', 'often', 'also'])} ", 1) for paragraph in body]

    old = Article(title="Sleep", body="\n\n".join(body))
    print(f"body: {len(old.body.split())} words in {len(body)} paragraphs")
    cases = [("a few edits", few), ("every paragraph edited", every), ("rewritten", other[:len(body)])]
    for name, edited in cases:
        new = Article(title="Sleep", body="\n\n".join(edited))
        timings = []
        for _ in range(20):
            started = time.perf_counter()
            rows = field_changes(old, new)
            timings.append(time.perf_counter() - started)
        print(f"{name}: median {statistics.median(timings) * 1000:.1f} ms, "
              f"worst {max(timings) * 1000:.1f} ms, {len(rows[0][1]):,} bytes of HTML")


if __name__ == "__main__":
    main()
