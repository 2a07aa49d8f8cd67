"""The helper process: stages of many builds run beside them, giving what the serial run gives."""

from __future__ import annotations

import functools
import os
import signal
import time

import pytest

from booklet.builder import kept_worker as h

from .conftest import SAMPLE


@pytest.fixture(autouse=True)
def _spare_core(monkeypatch):
    """Every test starts without a helper, on two cores, and leaves none behind."""
    monkeypatch.setenv("BOOKLET_WORKERS", "2")
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    h.stop_helper()
    yield
    h.stop_helper()


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * value


def _echo(data: bytes) -> bytes:
    return data[::-1]


def _fails() -> None:
    raise ValueError("failed in the stage")


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def _children() -> set[str]:
    found: set[str] = set()
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/children") as handle:
            found |= set(handle.read().split())
    return found


def test_stages_run_in_one_helper_kept_from_stage_to_stage():
    first = h.helped(functools.partial(_pid_and, 3))
    second = h.helped(functools.partial(_pid_and, 4))
    (pid_a, nine), (pid_b, sixteen) = first(), second()
    assert (nine, sixteen) == (9, 16)
    assert pid_a == pid_b != os.getpid()  # one process, not ours, for both
    assert _children() == {str(pid_a)}


def test_results_asked_out_of_order_are_each_their_own():
    stages = [h.helped(functools.partial(_pid_and, n)) for n in range(5)]
    assert [stage()[1] for stage in reversed(stages)] == [16, 9, 4, 1, 0]


def test_files_larger_than_the_pipe_go_both_ways_without_waiting_for_each_other():
    # three stages of 3 MiB each are sent before any reply is read: the helper must not
    # block on a full pipe to us while we block on a full pipe to it
    blobs = [bytes([n]) * (3 << 20) + b"end" for n in range(3)]

    def stuck(signum, frame):
        raise TimeoutError("the helper and this process wait for each other")

    signal.signal(signal.SIGALRM, stuck)
    signal.alarm(30)
    try:
        stages = [h.helped(functools.partial(_echo, blob)) for blob in blobs]
        assert [stage() for stage in stages] == [blob[::-1] for blob in blobs]
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


def test_a_stage_that_fails_in_the_helper_raises_here_as_in_a_serial_run():
    with pytest.raises(ValueError, match="failed in the stage"):
        h.helped(_fails)()
    assert h.helped(functools.partial(_pid_and, 2))()[1] == 4  # the helper serves on


def test_a_helper_that_dies_leaves_its_stages_to_this_process_and_is_started_again():
    stage = h.helped(functools.partial(_pid_and, 5))
    dead = h._helper.pid
    os.kill(dead, signal.SIGKILL)
    assert stage() == (os.getpid(), 25)  # run here: the serial result
    pid, _ = h.helped(functools.partial(_pid_and, 6))()
    assert pid not in (os.getpid(), dead)


def test_cancelling_a_stage_stops_the_helper_and_reaps_it():
    stage = h.helped(functools.partial(_echo, b"x" * 1000))
    stage.cancel()
    assert h._helper.pid == 0 and _children() == set()


def test_without_a_spare_core_stages_run_here(monkeypatch):
    monkeypatch.setenv("BOOKLET_WORKERS", "1")
    assert h.helped(functools.partial(_pid_and, 7))() == (os.getpid(), 49)
    assert _children() == set()


def test_the_helper_holds_none_of_the_files_this_process_had_open(tmp_path):
    # an output folder's lock held by a helper would outlive the build that took it
    with open(tmp_path / "lock", "w") as held:
        assert h.helped(functools.partial(_is_open, held.fileno()))() is False
        assert _is_open(held.fileno())


@pytest.mark.parametrize("layout", ["a5-booklet", "a6-invitation"])
def test_rebuilds_with_the_helper_give_the_bytes_of_a_serial_build(tmp_path, monkeypatch, layout):
    # a booklet sends the helper its preflight, spreads and imposition; cards their
    # preflight and n-up imposition
    from booklet.builder.pipeline import build

    def files(out):
        build(SAMPLE, layouts=(layout,), langs=("en",), out_dir=out)
        return {p.name: p.read_bytes() for p in (out / "commemoration").iterdir()}

    helped = files(tmp_path / "first")
    pid = h._helper.pid
    assert pid > 0  # the stages went to the helper
    assert files(tmp_path / "again") == helped
    assert h._helper.pid == pid  # the rebuild sent them to the same helper
    monkeypatch.setenv("BOOKLET_WORKERS", "1")
    assert files(tmp_path / "serial") == helped


def _wait_dead(pid: int) -> None:
    for _ in range(100):  # a killed child turns zombie at once, but not in no time
        with open(f"/proc/{pid}/stat") as stat:
            if stat.read().split(") ")[-1].startswith("Z"):
                return
        time.sleep(0.01)


def test_a_stage_sent_to_a_helper_that_died_never_gets_another_stages_reply():
    lost = h.helped(functools.partial(_pid_and, 11))
    dead = h._helper.pid
    os.kill(dead, signal.SIGKILL)
    _wait_dead(dead)
    later = [h.helped(functools.partial(_pid_and, n)) for n in (12, 13)]  # a new helper
    assert lost() == (os.getpid(), 121)  # its own result, made here
    assert [stage()[1] for stage in later] == [144, 169]


def test_a_helper_dying_with_a_reply_unread_leaves_the_next_stage_to_this_process(monkeypatch):
    answered = h.helped(functools.partial(_pid_and, 3))
    pid = h._helper.pid
    time.sleep(0.2)  # its reply waits in the pipe, unread
    os.kill(pid, signal.SIGKILL)
    _wait_dead(pid)
    monkeypatch.setattr(h, "_exited", lambda pid: False)  # as if it died just after the check
    big = h.helped(functools.partial(_echo, b"y" * (3 << 20)))  # the write meets a broken pipe
    assert big() == b"y" * (3 << 20)
    assert answered() == (pid, 9)  # the reply read before the helper died still counts


def test_a_request_cut_short_by_ctrl_c_does_not_garble_the_next_ones(monkeypatch):
    writes = []
    real_write = os.write

    def interrupted(fd, data):
        writes.append(len(data))
        if len(writes) == 2:
            raise KeyboardInterrupt
        return real_write(fd, data)

    monkeypatch.setattr(h.os, "write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        h.helped(functools.partial(_echo, b"z" * (3 << 20)))
    monkeypatch.setattr(h.os, "write", real_write)
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("the next stage waits forever"))
    signal.alarm(20)
    try:
        assert h.helped(functools.partial(_pid_and, 8))()[1] == 64
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


def test_a_forked_process_holds_no_copy_of_the_helpers_pipes():
    h.helped(functools.partial(_pid_and, 1))()  # a helper with its two pipes
    pipes = (h._helper.ask, h._helper.answer)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child says which of the pipes it still holds
        held = bytes(_is_open(fd) for fd in pipes)
        os.write(write, held)
        os._exit(0)
    os.close(write)
    held = os.read(read, 2)
    os.close(read)
    os.waitpid(pid, 0)
    assert held == bytes([False, False])
