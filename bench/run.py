"""`make bench`: every public page under load, page cache off and on, against two reference rows.

For SQLite (and PostgreSQL too when DATABASE_URL is set) it builds the demo content plus a generated
library of --articles long articles in a database of its own, starts gunicorn with 2 sync workers on
127.0.0.1, warms up, drives each page with wrk (installed from Debian when missing; a small Python load
generator otherwise) and prints one table. The two reference rows are a constant Django view returning
the article page's bytes (the framework floor) and the same bytes as a whitenoise static file (the limit).
"page cache off" rows run with the fragment caches warm (as a page cache miss does between two content
changes); below the table, the in-process time and queries of article, hub and search with every cache empty,
and the time of an admin save that renames the author of the generated library.
Loopback only; every run is bounded by --duration.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from urllib.parse import urlsplit, urlunsplit

from ops.servers import PYTHON, ROOT, Gunicorn, postgres_database

VAR = ROOT / "var"
SQLITE_URL = f"sqlite:///{VAR / 'bench.sqlite3'}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per row")
    parser.add_argument("--rounds", type=int, default=5, help="slices each row's load is cut into, taken in turns")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    VAR.mkdir(exist_ok=True)
    load = load_generator()
    databases = [("SQLite", SQLITE_URL)]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        databases.append(("PostgreSQL", postgres_database(os.environ["DATABASE_URL"], "_bench")))
    for label, url in databases:
        print(f"\n## {label}: {args.articles} generated articles, gunicorn {args.workers} sync workers, "
              f"{args.connections} connections, {args.duration} s a row, load by {load.__name__}\n", flush=True)
        rows, cold, figures = run_database(url, args, load)
        print_table(rows)
        print()
        for name, page in cold.items():
            print(f"every cache empty, in-process: {name} {page['cold_ms']:.1f} ms, {page['cold_queries']} queries")
        print(f"renaming the author of {figures['author_articles']} articles through the admin: "
              f"{figures['author_rename_s']:.3f} s", flush=True)
    subprocess.run([PYTHON, "-m", "bench.crisis"], check=False)  # the cost of crisis detection per message


def bench_env(database_url):
    """The environment of the benchmark's app servers: production settings plus the reference view."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "benchmark-only-secret-key-not-for-production",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback
        "DJANGO_STATIC_ROOT": str(VAR / "bench-static"),
        "DJANGO_MEDIA_ROOT": str(VAR / "bench-media"),
        "BENCH_CONSTANT_FILE": str(VAR / "bench-constant.html"),
    }


def run_database(database_url, args, load):
    env = bench_env(database_url)
    manage = [PYTHON, "manage.py"]
    started = time.monotonic()
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "load_demo", "--articles", str(args.articles)], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    print(f"data ready in {time.monotonic() - started:.1f} s", flush=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)

    pages = _pages(env)
    figures = json.loads(subprocess.run([PYTHON, "-m", "bench.queries", *pages.values()], cwd=ROOT, env=env,
                                        check=True, capture_output=True, text=True).stdout)
    counts = figures["pages"]
    article_bytes = _fetch_with_client(env, pages["article"])
    (VAR / "bench-constant.html").write_bytes(article_bytes)
    static_dir = VAR / "bench-static" / "bench"
    static_dir.mkdir(parents=True, exist_ok=True)
    (static_dir / "constant.html").write_bytes(article_bytes)

    # Both servers run side by side (the idle one costs nothing) so that the rows can take turns: each row
    # is measured in --rounds slices spread over the whole run, and a machine whose speed drifts while the
    # table is made slows every row alike instead of the ones measured last.
    with Gunicorn({**env, "DJANGO_PAGE_CACHE": "0"}, args.workers) as uncached, \
            Gunicorn({**env, "DJANGO_PAGE_CACHE": "1"}, args.workers) as cached:
        rows = [
            *[{"page": name, "cache": "page cache off", "url": uncached + path, "count": counts[path]["uncached"],
               "bytes": counts[path]["bytes"]} for name, path in pages.items()],
            *[{"page": name, "cache": "cached", "url": cached + path, "count": counts[path]["cached"],
               "bytes": counts[path]["bytes"]} for name, path in pages.items()],
            *[{"page": f"reference: {name}", "cache": "—", "url": cached + path, "count": 0,
               "bytes": len(article_bytes)}
              for name, path in (("constant Django view", "/bench/constant/"),
                                 ("whitenoise static file", "/static/bench/constant.html"))],
        ]
        for row in rows:
            for _ in range(30):
                urllib.request.urlopen(row["url"]).read()
        slice_seconds = max(1, round(args.duration / args.rounds))
        for _ in range(args.rounds):
            for row in rows:
                measured = load(row["url"], args.connections, slice_seconds)
                row.setdefault("slices", []).append(measured)
                # Requests still in flight when the load stops (a slow page's) would run into the next slice.
                time.sleep(min(2.0, measured["p99"] / 1000))
    cold = {name: counts[path] for name, path in pages.items() if name in ("article", "hub", "search")}
    return [_summary(row) for row in rows], cold, figures


def _summary(row):
    """A row's slices as one: requests/s over all of them, the median p50, the worst p99, every error."""
    slices = row.pop("slices")
    p50s = sorted(part["p50"] for part in slices)
    return {
        "page": row["page"], "cache": row["cache"], "queries": row["count"], "bytes": row["bytes"],
        "rps": sum(part["requests"] for part in slices) / sum(part["seconds"] for part in slices),
        "p50": p50s[len(p50s) // 2], "p99": max(part["p99"] for part in slices),
        "errors": sum(part["errors"] for part in slices),
    }


def _pages(env):
    script = (
        "import django; django.setup();"
        "from articles.models import Article; from hubs.models import Hub;"
        "a = Article.objects.published().filter(slug__startswith='library-').select_related('author').first();"
        "h = Hub.objects.published().first(); t = a.tags.first();"
        "print(h.get_absolute_url(), a.get_absolute_url(), a.author.get_absolute_url(), t.get_absolute_url())"
    )
    hub, article, author, tag = subprocess.run([PYTHON, "-c", script], cwd=ROOT, env=env, check=True,
                                               capture_output=True, text=True).stdout.split()
    return {"home": "/", "hub": hub, "article": article, "author": author, "tag": tag, "search": "/search/?q=dopamine"}


def _fetch_with_client(env, path):
    script = (
        "import django, sys; django.setup(); from django.test import Client;"
        "from django.test.utils import setup_test_environment; setup_test_environment();"
        f"sys.stdout.buffer.write(Client().get({path!r}).content)"
    )
    return subprocess.run([PYTHON, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True).stdout


def wrk(url, connections, duration):
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        check=True, capture_output=True, text=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    done = re.search(r"(\d+) requests in ([\d.]+)(\w+)", output)
    return {
        "requests": int(done.group(1)),
        "seconds": _ms(done.group(2) + done.group(3)) / 1000,
        "p50": _ms(re.search(r"50%\s+([\d.]+\w+)", output).group(1)),
        "p99": _ms(re.search(r"99%\s+([\d.]+\w+)", output).group(1)),
        "errors": (int(errors.group(1)) if errors else 0) + (sum(map(int, socket_errors.groups())) if socket_errors
                                                             else 0),
    }


def python_load(url, connections, duration):
    """A small stand-in for wrk: `connections` threads on keep-alive connections, for `duration` seconds."""
    import http.client

    parts = urlsplit(url)
    latencies, errors, lock = [], [0], threading.Lock()
    stop = time.monotonic() + duration

    def worker():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        target = urlunsplit(("", "", parts.path, parts.query, ""))
        mine = []
        while time.monotonic() < stop:
            began = time.perf_counter()
            try:
                connection.request("GET", target)
                response = connection.getresponse()
                response.read()
                ok = response.status < 400
            except OSError:
                connection.close()
                ok = False
            mine.append(time.perf_counter() - began)
            if not ok:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {"requests": len(latencies), "seconds": duration, "p50": latencies[len(latencies) // 2] * 1000,
            "p99": latencies[int(len(latencies) * 0.99)] * 1000, "errors": errors[0]}


def _ms(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def load_generator():
    if shutil.which("wrk"):
        return wrk
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing wrk from Debian for the benchmark…", flush=True)
        installed = subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], capture_output=True,
                                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        if installed.returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], capture_output=True,
                           env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        if shutil.which("wrk"):
            return wrk
    print("wrk is not available; using the Python load generator (slower: it competes for the same cores).")
    return python_load


def print_table(rows):
    floor = next(row["rps"] for row in rows if row["page"].startswith("reference: constant"))
    static = next(row["rps"] for row in rows if row["page"].startswith("reference: whitenoise"))
    header = ["page", "cache", "req/s", "p50 ms", "p99 ms", "errors", "queries", "bytes", "vs floor", "vs static"]
    lines = [header] + [
        [row["page"], row["cache"], f"{row['rps']:.0f}", f"{row['p50']:.2f}", f"{row['p99']:.2f}", str(row["errors"]),
         str(row["queries"]), str(row["bytes"]), f"{row['rps'] / floor:.0%}", f"{row['rps'] / static:.0%}"]
        for row in rows
    ]
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    for index, line in enumerate(lines):
        print("| " + " | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)) + " |")
        if index == 0:
            print("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
