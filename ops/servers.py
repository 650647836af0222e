"""What the benchmark and the operations scripts share: app servers on loopback and their own databases."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn with `workers` sync workers on a free loopback port; the context gives its base URL."""

    def __init__(self, env, workers=2, port=None):
        self.env, self.workers, self.port = env, workers, port or free_port()

    def __enter__(self):
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "mindlab.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers",
             str(self.workers), "--worker-class", "sync", "--log-level", "warning"],
            cwd=ROOT, env=self.env, start_new_session=True,
        )
        base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/robots.txt", timeout=1)
                return base
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not start within 30 s")

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


class TaskWorker:
    """The task worker (ops/worker.py) as `make serve` runs it; `restarts` counts the times it was started again."""

    def __init__(self, env, *args, log=None):
        self.env, self.args, self.log = env, args, log or ROOT / "var" / "task-worker.log"

    def __enter__(self):
        self.log.parent.mkdir(exist_ok=True)
        with open(self.log, "w") as log:
            self.process = subprocess.Popen([PYTHON, "-m", "ops.worker", *self.args], cwd=ROOT, env=self.env,
                                            stdout=log, stderr=subprocess.STDOUT)
        return self

    @property
    def restarts(self):
        return self.log.read_text().count("starting it again")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=60)


def postgres_database(url, suffix, fresh=False):
    """A database of its own beside the one named in `url` (DATABASE_URL), made if missing."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + suffix
    admin_url = urlunsplit(("postgresql", parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        if fresh:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def manage(env, *args, **kwargs):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)
