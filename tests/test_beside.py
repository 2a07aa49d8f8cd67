"""Work beside the build: forked stages and maps give what the serial run gives."""

from __future__ import annotations

import os

import pytest

from booklet.builder import forks as b
from booklet.output import staging as output


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * value


def test_a_stage_beside_runs_in_a_child_and_returns_its_result(monkeypatch):
    monkeypatch.setenv("BOOKLET_WORKERS", "2")
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    pid, value = b.beside(lambda: _pid_and(7))()
    assert value == 49 and pid != os.getpid()


def test_without_a_spare_core_the_stage_runs_here(monkeypatch):
    monkeypatch.setenv("BOOKLET_WORKERS", "1")
    assert not b.spare_core()
    pid, value = b.beside(lambda: _pid_and(3))()
    assert (pid, value) == (os.getpid(), 9)


def test_a_stage_that_fails_in_the_child_fails_here_the_same_way(monkeypatch):
    monkeypatch.setenv("BOOKLET_WORKERS", "2")
    monkeypatch.setattr(os, "cpu_count", lambda: 2)

    def broken() -> None:
        raise ValueError("the stage's own error")

    wait = b.beside(broken)
    with pytest.raises(ValueError, match="the stage's own error"):
        wait()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_fork_map_keeps_the_order_of_the_items(monkeypatch, workers):
    monkeypatch.setenv("BOOKLET_WORKERS", workers)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    results = b.fork_map(_pid_and, list(range(7)))
    assert [value for _, value in results] == [n * n for n in range(7)]
    children = {pid for pid, _ in results} - {os.getpid()}
    assert bool(children) == (workers == "2")


def test_each_output_is_flushed_before_any_is_moved_into_place(tmp_path, monkeypatch):
    events = []
    fsync, replace = os.fsync, os.replace

    def flushed(fd: int) -> None:
        events.append(("flush", os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))))
        fsync(fd)

    def moved(source, target) -> None:
        events.append(("move", os.path.basename(target)))
        replace(source, target)

    monkeypatch.setattr(os, "fsync", flushed)
    monkeypatch.setattr(os, "replace", moved)
    files = {f"ev/{n:02d}.pdf": bytes([n]) * 9 for n in range(20)}
    written = output.write_outputs(files, tmp_path / "out")
    assert [p.read_bytes() for p in written] == list(files.values())
    # our own files, each once (never the whole filesystem), all before the first move
    names = sorted(name.removeprefix("ev/") for name in files)
    assert sorted(name for kind, name in events[:20] if kind == "flush") == names
    assert [name for kind, name in events[20:] if kind == "move"] == names


def _big_or_broken(n: int) -> bytes:
    if n == 0:
        raise ValueError("the first batch fails")
    return b"x" * 1_000_000  # more than a pipe holds: the child waits to be read


def test_a_failing_item_stops_and_reaps_the_other_children(monkeypatch):
    monkeypatch.setenv("BOOKLET_WORKERS", "2")
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    with pytest.raises(ValueError, match="the first batch fails"):
        b.fork_map(_big_or_broken, [0, 1, 2])
    children = set()
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/children") as handle:
            children |= set(handle.read().split())
    assert children == set()


def test_no_fork_while_another_thread_runs(monkeypatch):
    import threading

    monkeypatch.setenv("BOOKLET_WORKERS", "2")
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not b.spare_core()
    finally:
        stop.set()
        other.join()
    assert b.spare_core()


def test_the_parent_collects_its_garbage_again_after_forking(monkeypatch):
    import gc

    monkeypatch.setattr(b, "spare_core", lambda: True)
    assert b.beside(lambda: 1)() == 1
    assert gc.get_freeze_count() == 0  # frozen only for the fork itself
    assert b.fork_map(lambda n: n * 2, [1, 2, 3]) == [2, 4, 6]
    assert gc.get_freeze_count() == 0  # and for the waves of a map, then not


def test_a_stage_asked_for_then_cancelled_closes_nothing_twice(monkeypatch):
    monkeypatch.setattr(b, "spare_core", lambda: True)
    pending = b.beside(lambda: 7)
    assert pending() == 7
    pending.cancel()  # a failure later in the build cancels every stage: no error here
    stopped = b.beside(lambda: 7)
    stopped.cancel()
    stopped.cancel()


def _slow_first(n: int) -> tuple[int, int]:
    import time

    time.sleep(0.2 if n == 0 else 0.0)
    return os.getpid(), n


def test_fork_imap_gives_results_in_order_and_stops_children_when_closed(monkeypatch):
    import contextlib

    monkeypatch.setenv("BOOKLET_WORKERS", "2")
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(b, "spare_core", lambda: True)
    results = b.fork_imap(_slow_first, range(5))
    assert [n for _, n in results] == [0, 1, 2, 3, 4]  # the slow first one comes first
    with contextlib.closing(b.fork_imap(_slow_first, range(5))) as early:
        assert next(early)[1] == 0  # the next children are running now
    children = set()
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/children") as handle:
            children |= set(handle.read().split())
    assert children == set()  # closing stopped and reaped them


def test_a_failed_fork_leaves_the_garbage_collector_as_it_was(monkeypatch):
    import gc

    def no_fork():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(b, "spare_core", lambda: True)
    monkeypatch.setattr(os, "fork", no_fork)
    assert b.beside(lambda: 42)() == 42  # run here instead
    assert gc.get_freeze_count() == 0


def test_what_the_application_froze_stays_frozen(monkeypatch):
    import gc

    monkeypatch.setattr(b, "spare_core", lambda: True)
    unfreeze, thawed = gc.unfreeze, []
    # Counted by the calls, not by gc.get_freeze_count(): a frozen object whose last
    # reference goes (a cache's entry replaced) leaves the count, and did in CI-like runs.
    monkeypatch.setattr(gc, "unfreeze", lambda: thawed.append(1))
    gc.freeze()
    try:
        assert b.beside(lambda: 1)() == 1
        assert b.fork_map(lambda n: n, [1, 2, 3]) == [1, 2, 3]
        assert thawed == [] and gc.get_freeze_count() > 0
    finally:
        unfreeze()


def test_a_failed_build_does_not_wait_for_its_preflight(tmp_path, monkeypatch):
    # Interrupted (or failing) after the preflight started beside it, the build stops at
    # once: the preflight is stopped, not waited for, nor run again here.
    import time

    import booklet.builder.pipeline
    import booklet.preflight.checks
    from booklet.builder.pipeline import build

    from .conftest import SAMPLE

    real, done = booklet.preflight.checks.preflight, tmp_path / "preflight-done"

    def slow(*args, **kwargs):
        time.sleep(0.5)
        done.write_text("finished")
        return real(*args, **kwargs)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(booklet.preflight.checks, "preflight", slow)
    monkeypatch.setattr(booklet.builder.pipeline, "screen_file", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(SAMPLE, ("a5-booklet",), ("en",), tmp_path / "out")
    time.sleep(0.7)  # a preflight left running would have finished by now
    assert not done.exists()


def _counted(parent: int, fail_at: int = -1):
    """Items 0…5 with the process that made each; the child (not the parent) breaks at
    `fail_at`, as a child killed or out of memory would."""
    for n in range(6):
        if n == fail_at and os.getpid() != parent:
            os._exit(3)
        if n == fail_at + 10:
            raise ValueError("the stream's own error")
        yield os.getpid(), n


def test_fork_stream_gives_a_childs_items_in_order_as_they_come(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(b, "spare_core", lambda: True)
    parent = os.getpid()
    items = list(b.fork_stream(lambda: _counted(parent)))
    assert [n for _, n in items] == list(range(6))
    assert {pid for pid, _ in items} - {parent}  # made in a child, all in one
    assert len({pid for pid, _ in items}) == 1


def test_fork_stream_makes_here_what_a_failed_child_did_not_send(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(b, "spare_core", lambda: True)
    parent = os.getpid()
    items = list(b.fork_stream(lambda: _counted(parent, fail_at=3)))
    assert [n for _, n in items] == list(range(6))
    assert [pid == parent for pid, _ in items] == [False] * 3 + [True] * 3
    with pytest.raises(ValueError, match="the stream's own error"):  # raised in the child
        list(b.fork_stream(lambda: _counted(parent, fail_at=-8)))


@pytest.mark.parametrize("spare", [True, False])
def test_fork_stream_closed_early_leaves_no_child(monkeypatch, spare):
    import contextlib

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(b, "spare_core", lambda: spare)
    with contextlib.closing(b.fork_stream(lambda: _counted(os.getpid()))) as stream:
        assert next(stream)[1] == 0
    children = set()
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/children") as handle:
            children |= set(handle.read().split())
    assert children == set()
