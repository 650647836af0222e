"""The task worker beside gunicorn, for `make serve`, `make soak` and `make multiserver`: `manage.py db_worker`,
started again whenever it exits. It exits on a lost database connection (PostgreSQL restarting, say), so
something must start it again; in production that is the process manager (docs/operations.md), here this.
SIGTERM or SIGINT stops the worker (it finishes the task in hand first) and then this.

    python -m ops.worker [db_worker options]
"""

import signal
import subprocess
import sys
import time

from ops.servers import PYTHON, ROOT


def main():
    worker, stopping = None, False

    def stop(signum, frame):
        nonlocal stopping
        if not stopping and worker and worker.poll() is None:
            worker.send_signal(signal.SIGTERM)  # once: a second signal would cut the task in hand short
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    pause = 0
    while not stopping:
        started = time.monotonic()
        # A session of its own: a Ctrl-C in the terminal reaches the worker once, through stop(), not twice.
        worker = subprocess.Popen([PYTHON, "manage.py", "db_worker", *sys.argv[1:]], cwd=ROOT, start_new_session=True)
        if stopping:  # the signal came while it was starting
            worker.send_signal(signal.SIGTERM)
        code = worker.wait()
        if stopping:
            break
        pause = 1 if not pause or time.monotonic() - started > 60 else min(pause * 2, 30)
        print(f"task worker exited with status {code}; starting it again in {pause} s", file=sys.stderr, flush=True)
        time.sleep(pause)
    if worker:
        worker.wait()


if __name__ == "__main__":
    main()
