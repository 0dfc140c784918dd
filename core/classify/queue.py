"""The review queue's order over the units flagged for review (pure: the storage layer and the simulated
reviewer of :mod:`core.classify.learning_curve` both use it)."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

__all__ = ["EXPLORE_EVERY", "HEADS", "queue_order"]

HEADS = ("theme", "sentiment", "intent")
EXPLORE_EVERY = 4  # every 4th queue slot is a seeded random unit (see queue_order)


def queue_order(confidences: Sequence[Mapping[str, float]], *, seed: int = 0) -> list[int]:
    """The review queue's order: the heads take turns (theme, sentiment, intent), each contributing its least
    sure unit not yet listed, so every label gets the units it most needs a human for; every
    ``EXPLORE_EVERY``-th slot is a seeded random unit instead, so the queue is not only outliers (least-sure units
    are often foreign-language or odd texts that teach little) and reviewed labels stay representative.
    On the demo learning curve (dev) the random slots turn a loss against random selection on intent into a gain."""
    ranked = {
        head: sorted(range(len(confidences)), key=lambda i, h=head: (float(confidences[i].get(h, 1.0)), i))
        for head in HEADS
    }
    shuffled = list(range(len(confidences)))
    random.Random(seed).shuffle(shuffled)
    columns = [*(ranked[head] for head in HEADS), shuffled]
    cursor = [0] * len(columns)
    order: list[int] = []
    listed: set[int] = set()
    turn = 0
    while len(order) < len(confidences):
        explore = len(order) % EXPLORE_EVERY == EXPLORE_EVERY - 1
        which = len(HEADS) if explore else turn % len(HEADS)
        turn += 0 if explore else 1
        column = columns[which]
        while column[cursor[which]] in listed:
            cursor[which] += 1
        order.append(column[cursor[which]])
        listed.add(column[cursor[which]])
    return order
