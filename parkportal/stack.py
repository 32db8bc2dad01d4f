"""`make run`'s process runner: starts the Procfile's processes, stops them gracefully.

    python -m parkportal.stack [Procfile]

Each process runs in a session of its own, so a Ctrl-C in the terminal reaches this
runner only, never gunicorn's workers or the Celery worker's pool children. On Ctrl-C
(SIGINT), SIGTERM or SIGHUP (the terminal closed) the runner asks each process to stop
in the way it stops cleanly:

- ``worker`` (Celery) gets SIGQUIT: Celery's cold shutdown after its soft-shutdown period
  (``CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT``). It stops taking tasks at once; tasks that
  end within the period end normally, the others are cancelled and, being acks-late,
  go back to the queue for the next start.
- every other process (gunicorn, beat) gets SIGTERM: gunicorn finishes the requests in
  flight, beat saves its state.

Whatever still runs ``STOP_TIMEOUT`` seconds later, or at a second Ctrl-C, is killed with
its process group.
The runner exits 0 when a requested stop ended with every process stopping by itself,
and non-zero when a process died on its own (the others are then stopped too) or had
to be killed.

In a terminal the runner becomes the terminal's foreground process group while it runs,
as a shell does for a job: Ctrl-C then interrupts the runner alone, and ``make run``
ends with the runner's status instead of make's own "Interrupt".
"""

import ctypes
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

#: Seconds from the stop request to SIGKILL: longer than the worker's soft shutdown.
STOP_TIMEOUT = 40
#: How each process is asked to stop; SIGTERM for the names not listed.
STOP_SIGNALS = {"worker": signal.SIGQUIT}

_LINE = re.compile(r"^([A-Za-z0-9_-]+):\s*(.+)$")


@dataclass
class Process:
    name: str
    command: str
    popen: subprocess.Popen | None = None
    killed: bool = False
    reader: threading.Thread | None = field(default=None, repr=False)


def read_procfile(path: Path) -> list[Process]:
    processes = []
    for line in path.read_text().splitlines():
        match = _LINE.match(line.strip())
        if match and not line.lstrip().startswith("#"):
            processes.append(Process(match[1], match[2]))
    return processes


def _die_with_runner() -> None:
    """In the child before exec: SIGTERM when the runner dies without stopping it
    (killed, crashed), so that nothing is left running on its own."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (AttributeError, OSError):
        pass  # not Linux: no such safety net


_OUTPUT_LOCK = threading.Lock()


def _start(process: Process, width: int) -> None:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    # exec: the shell expands $PORT and the like, then becomes the program itself,
    # so the pid signalled is gunicorn's or Celery's, not a shell's.
    process.popen = subprocess.Popen(
        ["/bin/sh", "-c", f"exec {process.command}"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
        preexec_fn=_die_with_runner,
    )
    prefix = f"{process.name:<{width}} | ".encode()

    def copy_output():
        for raw in iter(process.popen.stdout.readline, b""):
            with _OUTPUT_LOCK:
                try:
                    sys.stdout.buffer.write(prefix + raw)
                    sys.stdout.buffer.flush()
                except OSError:
                    pass  # the terminal is gone; keep draining so the process never blocks

    process.reader = threading.Thread(target=copy_output, daemon=True)
    process.reader.start()


def _say(message: str) -> None:
    with _OUTPUT_LOCK:
        print(f"stack  | {message}", flush=True)


def _status(returncode: int) -> int:
    """A shell's exit status: 128 + N for a process ended by signal N."""
    return 128 - returncode if returncode < 0 else returncode


class _Terminal:
    """Be the terminal's foreground process group while running (a job, as in a shell)."""

    def __init__(self):
        self.fd = None
        self.previous = None

    def take(self) -> None:
        try:
            fd = sys.stdin.fileno()
            if not os.isatty(fd):
                return
            previous = os.tcgetpgrp(fd)
            os.setpgid(0, 0)
            with _sigttou_ignored():
                os.tcsetpgrp(fd, os.getpgrp())
        except OSError:
            return
        self.fd, self.previous = fd, previous

    def give_back(self) -> None:
        if self.fd is None:
            return
        try:
            with _sigttou_ignored():
                os.tcsetpgrp(self.fd, self.previous)
        except OSError:
            pass


class _sigttou_ignored:
    def __enter__(self):
        self.old = signal.signal(signal.SIGTTOU, signal.SIG_IGN)

    def __exit__(self, *exc):
        signal.signal(signal.SIGTTOU, self.old)


def run(processes: list[Process]) -> int:
    stop_requested, kill_now = threading.Event(), threading.Event()

    def request_stop(signum, _frame):
        if stop_requested.is_set():
            kill_now.set()  # a second Ctrl-C: no more waiting
        else:
            _say(f"{signal.Signals(signum).name} received: stopping gracefully (again to kill)")
        stop_requested.set()

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, request_stop)
    width = max(len(p.name) for p in processes)
    for process in processes:
        _start(process, width)
        _say(f"{process.name} started (pid {process.popen.pid})")

    died = None
    while not stop_requested.is_set():
        died = next((p for p in processes if p.popen.poll() is not None), None)
        if died:
            _say(f"{died.name} exited with status {died.popen.returncode}: stopping the others")
            break
        stop_requested.wait(0.2)

    for process in processes:
        if process.popen.poll() is None:
            stop_signal = STOP_SIGNALS.get(process.name, signal.SIGTERM)
            _say(f"sending {stop_signal.name} to {process.name}")
            os.kill(process.popen.pid, stop_signal)
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline and any(p.popen.poll() is None for p in processes):
        if kill_now.wait(0.1):
            break
    for process in processes:
        if process.popen.poll() is None:
            _say(f"{process.name} still running: killing it")
            process.killed = True
            try:
                os.killpg(process.popen.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.popen.wait()
    for process in processes:
        process.reader.join(timeout=2)
        _say(f"{process.name} stopped (status {process.popen.returncode})")
    if died is not None:
        return _status(died.popen.returncode) or 1
    return 1 if any(p.killed for p in processes) else 0


def main(argv: list[str]) -> int:
    procfile = Path(argv[0] if argv else "Procfile")
    processes = read_procfile(procfile)
    if not processes:
        print(f"no processes in {procfile}", file=sys.stderr)
        return 2
    # Reading the settings puts TIME_ZONE into TZ (Django does so on Unix): every
    # process then logs in the site's time, gunicorn's master included (+0800).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkportal.settings.dev")
    from django.conf import settings

    settings.TIME_ZONE  # noqa: B018
    terminal = _Terminal()
    terminal.take()
    try:
        return run(processes)
    finally:
        terminal.give_back()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
