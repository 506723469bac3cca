"""The inputs' sha256, hashed at idle priority while the run goes on: the digest is the file's
(or the folder's) whoever finishes it, and reading it never waits for the idle thread."""

from __future__ import annotations

import hashlib
import importlib
import os
import threading
import time
from pathlib import Path

import pytest

from payaudit.errors import InputError

text = importlib.import_module("payaudit.io.text")  # the package's `text` is a parser


@pytest.fixture
def stalled(monkeypatch):
    """The hashing thread held at its start (as on a machine whose cores are all busy) until
    the event is set."""
    go = threading.Event()
    monkeypatch.setattr(text, "_idle_priority", lambda: go.wait(30))
    yield go
    go.set()


def test_reading_a_digest_hashes_what_the_idle_thread_left(tmp_path: Path, stalled, monkeypatch):
    monkeypatch.setattr(text, "CHUNK", 1000)  # several chunks, whoever hashes them
    data = os.urandom(10_500)
    (tmp_path / "orders.csv").write_bytes(data)
    folder = tmp_path / "shifts"
    (folder / "month=1").mkdir(parents=True)
    (folder / "month=1" / "a.parquet").write_bytes(b"one")
    (folder / "b.parquet").write_bytes(b"two")
    began = time.monotonic()
    digests = text.hashing([tmp_path / "orders.csv", folder])
    # the idle thread is held: this thread hashes every chunk, without waiting for it
    assert digests[str(tmp_path / "orders.csv")].hexdigest() == hashlib.sha256(data).hexdigest()
    of_folder = hashlib.sha256(b"b.parquet\0two" + b"month=1/a.parquet\0one").hexdigest()
    assert digests[str(folder)].hexdigest() == of_folder == text.sha256(folder)
    assert time.monotonic() - began < 20  # the thread is held for 30 s


def test_the_idle_thread_finishes_what_it_is_left(tmp_path: Path, stalled, monkeypatch):
    monkeypatch.setattr(text, "CHUNK", 1000)
    data = os.urandom(10_500)
    (tmp_path / "orders.csv").write_bytes(data)
    (digest,) = text.hashing([tmp_path / "orders.csv"]).values()
    assert digest.step() and digest.step()  # two chunks here, the rest by the thread
    stalled.set()
    worker = next(t for t in threading.enumerate() if t.name == "payaudit-sha256")
    worker.join(30)
    assert not worker.is_alive() and not digest.step()
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()


def test_a_file_gone_before_it_is_hashed_is_an_input_error(tmp_path: Path, stalled):
    path = tmp_path / "orders.csv"
    path.write_text("order_id\n")
    (digest,) = text.hashing([path]).values()
    path.unlink()
    with pytest.raises(InputError, match=r"orders\.csv cannot be read"):
        digest.hexdigest()


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="SCHED_IDLE is Linux's")
def test_the_hashing_thread_only_takes_an_idle_core() -> None:
    policy = []

    def idle() -> None:
        text._idle_priority()
        policy.append(os.sched_getscheduler(0))

    thread = threading.Thread(target=idle)
    thread.start()
    thread.join()
    assert policy == [os.SCHED_IDLE]
    assert os.sched_getscheduler(0) == os.SCHED_OTHER  # the thread's alone, not the process's
