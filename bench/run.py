"""`make bench`: every public page under load, uncached and cached, against two reference rows.

For SQLite (and PostgreSQL too when DATABASE_URL is set) it builds the demo content plus a generated
library of --articles long articles in a database of its own, starts gunicorn with 2 sync workers on
127.0.0.1, warms up, drives each page with wrk (installed from Debian when missing; a small Python load
generator otherwise) and prints one table. The two reference rows are a constant Django view returning
the article page's bytes (the framework floor) and the same bytes as a whitenoise static file (the limit).
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per row")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    VAR.mkdir(exist_ok=True)
    load = _load_generator()
    databases = [("SQLite", f"sqlite:///{VAR / 'bench.sqlite3'}")]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        databases.append(("PostgreSQL", postgres_database(os.environ["DATABASE_URL"], "_bench")))
    for label, url in databases:
        print(f"\n## {label}: {args.articles} generated articles, gunicorn {args.workers} sync workers, "
              f"{args.connections} connections, {args.duration} s a row, load by {load.__name__}\n", flush=True)
        rows = run_database(url, args, load)
        print_table(rows)


def run_database(database_url, args, load):
    env = {
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
    manage = [PYTHON, "manage.py"]
    started = time.monotonic()
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "load_demo", "--articles", str(args.articles)], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    print(f"data ready in {time.monotonic() - started:.1f} s", flush=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)

    pages = _pages(env)
    counts = json.loads(subprocess.run([PYTHON, "-m", "bench.queries", *pages.values()], cwd=ROOT, env=env,
                                       check=True, capture_output=True, text=True).stdout)
    article_bytes = _fetch_with_client(env, pages["article"])
    (VAR / "bench-constant.html").write_bytes(article_bytes)
    static_dir = VAR / "bench-static" / "bench"
    static_dir.mkdir(parents=True, exist_ok=True)
    (static_dir / "constant.html").write_bytes(article_bytes)

    rows = []
    for cached in (False, True):
        with Gunicorn({**env, "DJANGO_PAGE_CACHE": "1" if cached else "0"}, args.workers) as base:
            for name, path in pages.items():
                if cached and name == "search":
                    continue  # search is never cached
                rows.append(_row(name, cached, base + path, load, args, counts[path]))
            if cached:
                rows.append(_row("reference: constant Django view", None, base + "/bench/constant/", load, args,
                                 {"uncached": 0, "bytes": len(article_bytes)}))
                rows.append(_row("reference: whitenoise static file", None, base + "/static/bench/constant.html",
                                 load, args, {"uncached": 0, "bytes": len(article_bytes)}))
    return rows


def _row(name, cached, url, load, args, count):
    for _ in range(30):
        urllib.request.urlopen(url).read()
    result = load(url, args.connections, args.duration)
    queries = count["cached"] if cached else count["uncached"]
    return {"page": name, "cache": {True: "cached", False: "uncached", None: "—"}[cached], **result,
            "queries": queries, "bytes": count["bytes"]}


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
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
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
    return {"rps": len(latencies) / duration, "p50": latencies[len(latencies) // 2] * 1000,
            "p99": latencies[int(len(latencies) * 0.99)] * 1000, "errors": errors[0]}


def _ms(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def _load_generator():
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
