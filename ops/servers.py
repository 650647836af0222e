"""What the benchmark and the operations scripts share: app servers on loopback and their own databases."""

import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
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
            [PYTHON, "-m", "gunicorn", "mindlab.wsgi", "--config", "mindlab/gunicorn.conf.py", "--bind",
             f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--worker-class", "sync",
             "--log-level", "warning"],
            cwd=ROOT, env=self.env, start_new_session=True,
        )
        base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                # /healthz is never redirected to HTTPS; any answer (a 503 too) means the server is up.
                urllib.request.urlopen(base + "/healthz", timeout=1)
                return base
            except urllib.error.HTTPError:
                return base
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"gunicorn exited with status {self.process.returncode}") from None
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


class S3Server:
    """moto's standalone S3-compatible server on a free loopback port, with one bucket anyone may read (as
    docs/operations.md asks of a media bucket). `start()` gives the environment that puts an app server's media
    in it; the server stops with `stop()` or when the script ends."""

    def __init__(self, bucket="mindlab-media"):
        self.bucket, self.port = bucket, free_port()
        self.env = {"AWS_STORAGE_BUCKET_NAME": bucket, "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{self.port}",
                    "AWS_S3_REGION_NAME": "us-east-1", "AWS_ACCESS_KEY_ID": "loopback",
                    "AWS_SECRET_ACCESS_KEY": "loopback-secret"}

    def start(self):
        import boto3

        self.process = subprocess.Popen([PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        atexit.register(self.stop)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.env["AWS_S3_ENDPOINT_URL"] + "/", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the S3 server did not start within 30 s") from None
                time.sleep(0.2)
        s3 = boto3.client("s3", endpoint_url=self.env["AWS_S3_ENDPOINT_URL"], region_name="us-east-1",
                          aws_access_key_id="loopback", aws_secret_access_key="loopback-secret")
        s3.create_bucket(Bucket=self.bucket)
        s3.put_bucket_policy(Bucket=self.bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{self.bucket}/*"}]}))
        return self.env

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
