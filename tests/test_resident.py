"""The resident build process: what a command handed to it writes, prints and exits with is
what the same command writes, prints and exits with run serially in its own process."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from .conftest import ROOT

SAMPLE = ROOT / "content" / "commemoration"


class Resident:
    """A `booklet serve` in a folder of its own, and commands run beside it."""

    def __init__(self, runtime: Path, cache: Path, idle: float = 300) -> None:
        self.env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime), XDG_CACHE_HOME=str(cache))
        self.env.pop("BOOKLET_RESIDENT", None)
        self.env["PYTHONPATH"] = str(ROOT / "src")
        self.socket = runtime / "booklet" / f"resident-{os.getuid()}.sock"
        self.log = runtime / "serve.log"
        argv = [sys.executable, "-m", "booklet", "serve", "--idle-timeout", str(idle)]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(argv, env=self.env, stderr=log, cwd=runtime)
        for _ in range(1200):  # until it listens (bounded by tries, not by a clock)
            if self.socket.exists() or self.process.poll() is not None:
                break
            time.sleep(0.05)
        assert self.socket.exists(), self.log.read_text()

    def run(self, *argv: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "booklet", *argv]
        return subprocess.run(command, env={**self.env, **env}, cwd=cwd, capture_output=True)

    def served(self) -> list[str]:
        return [line for line in self.log.read_text().splitlines() if " ran " in line]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        finally:
            if self.process.poll() is None:  # never left running for the tests after
                self.process.kill()
                self.process.wait()


@pytest.fixture
def resident(tmp_path):
    runtime = Path(tempfile.mkdtemp(prefix="bk-"))  # short: a socket's path has ~100 bytes
    server = Resident(runtime, tmp_path / "cache")
    yield server
    server.stop()
    shutil.rmtree(runtime, ignore_errors=True)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _same_run(resident: Resident, tmp_path: Path, *argv: str, rounds: int = 2):
    """Run a command `rounds` times through the resident process (cold, then warm) and once
    serially in its own process; each writes in a folder of its own. Returns the results."""
    results, before = [], len(resident.served())
    for n in range(rounds + 1):
        work = tmp_path / f"run{n}"
        work.mkdir(parents=True)
        extra = {"BOOKLET_RESIDENT": "off", "BOOKLET_WORKERS": "1"} if n == rounds else {}
        done = resident.run(*argv, cwd=work, **extra)
        results.append((done.returncode, done.stdout, done.stderr, _files(work)))
    assert len(resident.served()) == before + rounds, resident.log.read_text()
    return results


def test_a_served_build_writes_and_prints_what_a_serial_build_in_process_does(resident, tmp_path):
    argv = ("build", str(SAMPLE), "--layout", "a5-booklet", "--layout", "a6-invitation")
    *served, serial = _same_run(resident, tmp_path, *argv, "--lang", "en", "--out", "out")
    code, out, err, files = serial
    assert code == 0 and b"wrote out/commemoration/a5-booklet.en.pdf" in out
    assert {n.rsplit(".", 1)[-1] for n in files} == {"pdf", "png", "json"}
    for result in served:
        assert result == serial  # exit status, stdout, stderr and every file's bytes


def test_errors_come_back_with_the_same_messages_and_exit_status(resident, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(SAMPLE, broken)
    text = (broken / "event.yaml").read_text(encoding="utf-8")
    (broken / "event.yaml").write_text(text.replace("title:", "title: [", 1), encoding="utf-8")
    *served, serial = _same_run(resident, tmp_path / "a", "check", str(broken), rounds=1)
    assert serial[0] == 1 and b"event.yaml:" in serial[2] and b"Traceback" not in serial[2]
    assert served == [serial]
    usage = tmp_path / "b"
    usage.mkdir()
    *served, serial = _same_run(resident, usage, "preview", str(SAMPLE), "--dpi", "9", rounds=1)
    assert serial[0] == 2 and b"--dpi" in serial[2]
    assert served == [serial]


def test_a_served_preview_writes_the_same_images(resident, tmp_path):
    argv = ("preview", str(SAMPLE), "--layout", "dl-trifold", "--lang", "ar", "--pages", "2")
    *served, serial = _same_run(resident, tmp_path, *argv, "--proof", rounds=1)
    assert serial[0] == 0 and list(serial[3]) == [
        "output/commemoration/preview/dl-trifold.ar.p2.png"
    ]
    assert served == [serial]


def test_the_socket_is_the_users_alone(resident):
    assert stat.S_IMODE(resident.socket.stat().st_mode) == 0o600
    assert stat.S_IMODE(resident.socket.parent.stat().st_mode) == 0o700


def test_other_code_is_not_served_and_the_command_runs_in_process(resident, tmp_path, monkeypatch):
    from booklet.cli import handoff

    monkeypatch.setenv("XDG_RUNTIME_DIR", resident.env["XDG_RUNTIME_DIR"])
    monkeypatch.delenv("BOOKLET_RESIDENT")  # the tests' own setting: never served
    monkeypatch.setattr(handoff, "code_digest", lambda: "another booklet")
    assert handoff.hand_off(["check", str(SAMPLE)]) is None
    monkeypatch.undo()
    monkeypatch.setenv("XDG_RUNTIME_DIR", resident.env["XDG_RUNTIME_DIR"])
    monkeypatch.delenv("BOOKLET_RESIDENT")
    assert handoff.hand_off(["new", str(tmp_path / "x")]) is None  # not a command it runs
    assert resident.served() == [] and resident.process.poll() is None  # still listening
    os.chmod(resident.socket, 0o666)  # a socket others could open is not used
    assert handoff.hand_off(["check", str(SAMPLE)]) is None
    assert resident.served() == []


def test_a_resident_process_exits_when_idle(tmp_path):
    runtime = Path(tempfile.mkdtemp(prefix="bk-"))
    try:
        server = Resident(runtime, tmp_path / "cache", idle=0.2)
        assert server.process.wait(timeout=120) == 0
        assert not server.socket.exists()
        assert "idle" in server.log.read_text()
    finally:
        shutil.rmtree(runtime, ignore_errors=True)


def test_a_malformed_request_is_refused_and_the_process_serves_on(resident, tmp_path):
    import json
    import socket

    from booklet.cli import handoff
    from booklet.cli.resident import HELLO, REQUEST, receive, send

    good = handoff._request(["check", str(SAMPLE)])
    bad = [b"[1, 2]", b"{not json", json.dumps({**good, "env": {"A": 1}}).encode()]
    bad.append(json.dumps({**good, "streams": [[True, "no-such-codec", "strict"]] * 2}).encode())
    for payload in bad:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(str(resident.socket))
            send(conn, REQUEST, payload)
            reply = receive(conn)
        assert reply is None or (reply[0] == HELLO and not json.loads(reply[1])["accepted"])
    assert resident.process.poll() is None
    done = resident.run("check", str(SAMPLE), "--layout", "a4-program", cwd=tmp_path)
    assert done.returncode == 0 and len(resident.served()) == 1


def test_watch_starts_a_resident_process(tmp_path):
    import json
    import signal
    import socket

    from booklet.cli.resident import HELLO, REQUEST, receive, send

    runtime = Path(tempfile.mkdtemp(prefix="bk-"))
    env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime), XDG_CACHE_HOME=str(tmp_path / "c"))
    env.pop("BOOKLET_RESIDENT", None)
    event = tmp_path / "event"
    shutil.copytree(SAMPLE, event)
    argv = [sys.executable, "-m", "booklet", "watch", str(event), "--layout", "a4-program"]
    watch = subprocess.Popen([*argv, "--lang", "en", "--out", str(tmp_path / "out")], env=env)
    sock = runtime / "booklet" / f"resident-{os.getuid()}.sock"
    pid = 0
    try:
        for _ in range(2400):  # until the process watch started listens (bounded by tries)
            if sock.exists() or watch.poll() is not None:
                break
            time.sleep(0.05)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(str(sock))
            send(conn, REQUEST, b"{}")
            kind, body = receive(conn)
        pid = json.loads(body)["pid"]
        assert kind == HELLO and pid not in (watch.pid, os.getpid())
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            assert b"serve" in cmdline.read().split(b"\0")
    finally:
        watch.terminate()
        watch.wait(timeout=60)
        if pid:
            os.kill(pid, signal.SIGTERM)
        shutil.rmtree(runtime, ignore_errors=True)
