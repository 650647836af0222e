"""Instructions per request, counted by valgrind: a measure that does not move with the machine's speed.

Requests per second on a shared two-core machine wander by a third or more between runs minutes apart;
the number of instructions a request executes does not. `python -m bench.instructions [PATH ...]` serves
each path in-process, under callgrind, from the SQLite database `make bench` built (run that first): 20
requests to warm up, then 10, and in a second run 60; the difference over 50 requests is printed beside
the constant view's (the floor). It counts Python, Django and SQLite in one process, with the page cache
off; a database server's own work is not in it. Each path takes about a minute and a half.
"""

import argparse
import io
import os
import re
import subprocess
import sys

from bench.run import PYTHON, ROOT, SQLITE_URL, VAR, bench_env

WARM_UP, SHORT, LONG = 20, 10, 60


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="default: the constant view, an article and a hub")
    parser.add_argument("--serve", nargs=2, metavar=("PATH", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve[0], int(args.serve[1]))
    if not (VAR / "bench.sqlite3").exists():
        sys.exit("No benchmark database yet: run `make bench` first (it builds var/bench.sqlite3).")
    paths = args.paths or ["/bench/constant/", *_sample_pages()]
    floor = None
    print("| page | instructions per request | vs floor |\n|---|---|---|")
    for path in paths:
        count = (_collected(path, LONG) - _collected(path, SHORT)) // (LONG - SHORT)
        floor = floor or count
        print(f"| {path} | {count:,} | {count / floor:.1f}× |", flush=True)


def _sample_pages():
    script = (
        "import django; django.setup();"
        "from articles.models import Article; from hubs.models import Hub;"
        "print(Article.objects.published().filter(slug__startswith='library-').first().get_absolute_url(),"
        " Hub.objects.published().first().get_absolute_url())"
    )
    return subprocess.run([PYTHON, "-c", script], cwd=ROOT, env=bench_env(SQLITE_URL), check=True,
                          capture_output=True, text=True).stdout.split()


def _collected(path, count):
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         PYTHON, "-m", "bench.instructions", "--serve", path, str(count)],
        cwd=ROOT, env={**bench_env(SQLITE_URL), "DJANGO_PAGE_CACHE": "0"}, capture_output=True, text=True,
    )
    found = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode != 0 or not found:
        sys.exit(f"{path}: the run under valgrind failed:\n{result.stderr[-2000:]}")
    return int(found.group(1))


def serve(path, count):
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }
    statuses = []
    for _ in range(WARM_UP + count):
        body = application({**environ, "wsgi.input": io.BytesIO()}, lambda status, headers: statuses.append(status))
        b"".join(body)
        body.close()
    if not statuses[-1].startswith("200"):
        sys.exit(f"{path} answered {statuses[-1]}")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    sys.exit(main())
