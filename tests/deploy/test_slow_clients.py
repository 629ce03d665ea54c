"""Slow clients: nginx (deploy/nginx/rekvi.conf) in front of gunicorn, as the real mode runs it.

Each test starts gunicorn (2 sync workers) and, for the first, Debian's nginx on free loopback
ports, as child processes with their files in a temporary folder, stopped afterwards. Three
clients then send a login form at one byte a second, and a normal request must still be
answered. Where nginx is missing the tests skip with a loud reason; with CI=true they fail.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
NGINX_PATH = os.environ.get("NGINX_PATH", shutil.which("nginx") or "/usr/sbin/nginx")
GUNICORN_WORKERS = 2
SLOW_CLIENTS = GUNICORN_WORKERS + 1
SLOW_BODY = b"username=someone&password=something-long-enough&next=%2F"
#: A normal request must be answered within this many seconds.
ANSWER_WITHIN = 5.0


def missing_nginx(nginx_path: str, ci: str) -> tuple[str, str] | None:
    """None when nginx is there; otherwise what to do ("skip", or "fail" on CI) and why."""
    if Path(nginx_path).is_file():
        return None
    reason = (
        f"SLOW-CLIENT TESTS NOT RUN: no nginx at {nginx_path}. Install Debian's nginx "
        "(apt-get install -y nginx) or set NGINX_PATH."
    )
    return ("fail" if ci.strip().lower() == "true" else "skip", reason)


def test_missing_nginx_skips_loudly_and_fails_on_ci(tmp_path: Path) -> None:
    absent = str(tmp_path / "nginx")
    reason = (
        f"SLOW-CLIENT TESTS NOT RUN: no nginx at {absent}. Install Debian's nginx "
        "(apt-get install -y nginx) or set NGINX_PATH."
    )
    assert missing_nginx(absent, "") == ("skip", reason)
    assert missing_nginx(absent, "true") == ("fail", reason)
    (tmp_path / "nginx").write_text("")
    assert missing_nginx(absent, "true") is None


def _require_nginx() -> None:
    missing = missing_nginx(NGINX_PATH, os.environ.get("CI", ""))
    if missing is not None:
        outcome, reason = missing
        if outcome == "fail":
            pytest.fail(reason)
        warnings.warn(reason, stacklevel=2)
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str, timeout: float) -> int:
    """The status code of a plain GET, or raise TimeoutError when no answer comes in time."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        )
        status_line = connection.makefile("rb").readline()
    if not status_line:
        raise ConnectionError("closed without an answer")
    return int(status_line.split()[1])


def _wait_until_up(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{process.args!r} stopped:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if _get(port, "/login/", timeout=5) == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"no answer on port {port} in 60 s:\n{log.read_text(errors='replace')[-3000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Servers:
    gunicorn_port: int
    nginx_port: int | None = None
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)


def _start_gunicorn(tmp_path: Path) -> tuple[int, subprocess.Popen[bytes]]:
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL"} and not key.startswith("DJANGO_")
    }
    env.update(
        REKVI_ENV_FILE=str(tmp_path / "no-such.env"),
        SQLITE_PATH=str(tmp_path / "rekvi.sqlite3"),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "config.wsgi"),
                *("--bind", f"127.0.0.1:{port}", "--workers", str(GUNICORN_WORKERS)),
                *("--timeout", "60"),
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    _wait_until_up(port, process, log)
    return port, process


def _start_nginx(tmp_path: Path, gunicorn_port: int) -> tuple[int, subprocess.Popen[bytes]]:
    port = _free_port()
    prefix = tmp_path / "nginx"
    (prefix / "logs").mkdir(parents=True)
    # Started by root, nginx's workers would run as nobody, who cannot enter the temporary folder.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"""
{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {prefix}/logs/access.log;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream rekvi_gunicorn {{ server 127.0.0.1:{gunicorn_port}; }}
    server {{
        listen 127.0.0.1:{port};
        root {tmp_path};
        include {BASE_DIR / "deploy" / "nginx" / "rekvi.conf"};
    }}
}}
"""
    )
    log = prefix / "logs" / "error.log"
    process = subprocess.Popen(
        [NGINX_PATH, "-g", "daemon off;", "-e", str(log), "-p", str(prefix), "-c", "nginx.conf"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    _wait_until_up(port, process, log)
    return port, process


@pytest.fixture
def gunicorn(tmp_path: Path) -> Iterator[Servers]:
    port, process = _start_gunicorn(tmp_path)
    servers = Servers(gunicorn_port=port, processes=[process])
    try:
        yield servers
    finally:
        for started in reversed(servers.processes):
            _stop(started)


@pytest.fixture
def nginx_and_gunicorn(gunicorn: Servers, tmp_path: Path) -> Servers:
    _require_nginx()
    port, process = _start_nginx(tmp_path, gunicorn.gunicorn_port)
    gunicorn.nginx_port = port
    gunicorn.processes.append(process)
    return gunicorn


def _hold_with_slow_clients(port: int) -> tuple[threading.Event, list[socket.socket]]:
    stop = threading.Event()
    connections: list[socket.socket] = []

    def trickle(connection: socket.socket) -> None:
        for byte in SLOW_BODY:
            if stop.wait(1.0):
                return
            try:
                connection.sendall(bytes([byte]))
            except OSError:
                return

    for _ in range(SLOW_CLIENTS):
        connection = socket.create_connection(("127.0.0.1", port), timeout=5)
        connection.sendall(
            b"POST /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            # a well-formed CSRF cookie: Django reads the whole form to find the token to match
            b"Cookie: csrftoken=" + b"x" * 32 + b"\r\n"
            b"Content-Length: " + str(len(SLOW_BODY)).encode() + b"\r\n\r\n"
        )
        connections.append(connection)
        threading.Thread(target=trickle, args=(connection,), daemon=True).start()
    time.sleep(2)  # every slow client has been taken on and has sent part of its body
    return stop, connections


@pytest.fixture
def hold() -> Iterator[list[tuple[threading.Event, list[socket.socket]]]]:
    held: list[tuple[threading.Event, list[socket.socket]]] = []
    try:
        yield held
    finally:
        for stop, connections in held:
            stop.set()
            for connection in connections:
                connection.close()


def test_slow_clients_do_not_stop_a_normal_request_through_nginx(
    nginx_and_gunicorn: Servers, hold: list[tuple[threading.Event, list[socket.socket]]]
) -> None:
    assert nginx_and_gunicorn.nginx_port is not None
    hold.append(_hold_with_slow_clients(nginx_and_gunicorn.nginx_port))

    started = time.monotonic()
    status = _get(nginx_and_gunicorn.nginx_port, "/login/", timeout=ANSWER_WITHIN)
    took = time.monotonic() - started

    assert status == 200
    assert took < ANSWER_WITHIN


def test_without_nginx_the_same_slow_clients_hold_every_gunicorn_worker(
    gunicorn: Servers, hold: list[tuple[threading.Event, list[socket.socket]]]
) -> None:
    hold.append(_hold_with_slow_clients(gunicorn.gunicorn_port))

    with pytest.raises(TimeoutError):
        _get(gunicorn.gunicorn_port, "/login/", timeout=ANSWER_WITHIN)
