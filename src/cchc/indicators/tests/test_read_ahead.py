"""The recompute's reader threads: the ranges come back in order whichever reader finishes first, a reader's error
reaches the recompute (no hang), and at most `readers` ranges are read ahead of the one being computed (memory
bounded)."""

import random
import threading
import time

import pytest

from cchc.indicators.compute import _read_in_threads

RANGES = [(n * 10, n * 10 + 9) for n in range(12)]


def test_ranges_come_back_in_order_whichever_reader_is_faster():
    rng = random.Random(7)
    delays = {bounds: rng.choice([0.0, 0.002, 0.01]) for bounds in RANGES}

    def read(bounds):
        time.sleep(delays[bounds])
        return bounds

    assert list(_read_in_threads(read, RANGES, readers=3)) == RANGES


def test_a_readers_error_is_raised_to_the_recompute():
    def read(bounds):
        if bounds == RANGES[5]:
            raise ValueError("unreadable range")
        return bounds

    got = []
    with pytest.raises(ValueError, match="unreadable range"):
        for item in _read_in_threads(read, RANGES, readers=2):
            got.append(item)
    assert got == RANGES[:5]


def test_at_most_one_range_per_reader_is_read_ahead_of_the_one_computed():
    lock, pending, most = threading.Lock(), [0], [0]

    def read(bounds):
        with lock:
            pending[0] += 1
            most[0] = max(most[0], pending[0])
        return bounds

    for _ in _read_in_threads(read, RANGES, readers=2):
        time.sleep(0.005)  # a slow consumer: the readers must wait for it
        with lock:
            pending[0] -= 1
    assert most[0] <= 3  # the one being computed and one per reader


def test_stopping_early_ends_the_readers():
    before = threading.active_count()
    items = _read_in_threads(lambda bounds: bounds, RANGES, readers=2)
    assert next(items) == RANGES[0]
    items.close()
    assert threading.active_count() == before
