"""`make backup` / `make restore FROM=DIR`: the database and the media files, with a manifest to check.

PostgreSQL goes through pg_dump/pg_restore (custom format); SQLite through its online backup API, so a
running site can be backed up. Media files are read and written through Django's storage API, so the same
commands serve a media folder on disk and a bucket in object storage. The manifest records row counts per model
and a SHA-256 of every media file; a restore ends by comparing the restored site with it.
"""

import argparse
import hashlib
import io
import json
import os
import posixpath
import sqlite3
import subprocess
import sys
import tarfile
from datetime import datetime
from pathlib import Path

import django
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mindlab.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["backup", "restore"])
    parser.add_argument("--dir", help="backup: where to write (default var/backups/<time>); restore: what to read")
    args = parser.parse_args()
    django.setup()
    if args.action == "backup":
        target = Path(args.dir or Path("var") / "backups" / datetime.now().strftime("%Y%m%d-%H%M%S"))
        print(f"Backed up to {backup(target)}")
    else:
        if not args.dir:
            sys.exit("restore needs the backup folder: make restore FROM=var/backups/<time>")
        problems = restore(Path(args.dir))
        for problem in problems:
            print(f"MISMATCH {problem}")
        print("Restore verified: counts and checksums match the backup." if not problems else "Restore differs.")
        sys.exit(1 if problems else 0)


def backup(target):
    from django.db import connection

    target.mkdir(parents=True, exist_ok=False)
    if connection.vendor == "postgresql":
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={target / 'database.dump'}",
                        _libpq_url()], check=True, env=_libpq_env())
    else:
        connection.ensure_connection()
        with sqlite3.connect(target / "database.sqlite3") as copy:
            connection.connection.backup(copy)
    checksums = {}
    with tarfile.open(target / "media.tar.gz", "w:gz") as archive:
        for name in media_names():
            with default_storage.open(name, "rb") as file:
                content = file.read()  # uploads are bounded (60 MB at most)
            member = tarfile.TarInfo(f"media/{name}")
            member.size = len(content)
            archive.addfile(member, io.BytesIO(content))
            checksums[name] = hashlib.sha256(content).hexdigest()
    (target / "manifest.json").write_text(json.dumps(snapshot(checksums), indent=2, sort_keys=True))
    return target


def restore(source):
    from django.db import connection

    from mindlab.cache import content_changed
    from mindlab.db import vacuum_after_bulk_load

    expected = json.loads((source / "manifest.json").read_text())
    if connection.vendor == "postgresql":
        connection.close()
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={_libpq_url()}",
                        str(source / "database.dump")], check=True, env=_libpq_env())
        vacuum_after_bulk_load()  # a restored database has no planner statistics and no visibility map
    else:
        connection.ensure_connection()
        with sqlite3.connect(source / "database.sqlite3") as backup_copy:
            backup_copy.backup(connection.connection)
    content_changed()  # no signal saw the restored rows: every cached page and fragment is from before
    problems = restore_media(source / "media.tar.gz")
    actual = snapshot()
    return problems + [f"{key}: backup {expected.get(key)} != restored {actual.get(key)}"
                       for key in sorted(set(expected) | set(actual)) if expected.get(key) != actual.get(key)]


def restore_media(archive_path):
    """Replace every media file with the archive's (its members are under media/); return what was refused."""
    for name in media_names():
        default_storage.delete(name)
    problems = []
    with tarfile.open(archive_path) as archive:
        for member in archive:
            if not member.isfile():  # folders, links and devices carry no media
                continue
            name = member.name.removeprefix("media/")
            try:
                if name == member.name:
                    raise SuspiciousFileOperation("outside the media folder")
                saved = default_storage.save(name, archive.extractfile(member))  # refuses absolute names and ".."
            except SuspiciousFileOperation as error:
                problems.append(f"{member.name}: not restored ({error})")
                continue
            if saved != name:
                problems.append(f"{name}: restored as {saved}")
    return problems


def snapshot(checksums=None):
    """Row counts of every model and checksums of every media file (read from the storage unless given)."""
    from django.apps import apps

    # Managed models only: an unmanaged one has no table of ours (transfer.ContentImport only carries a permission).
    state = {f"rows:{model._meta.label}": model.objects.count() for model in apps.get_models() if model._meta.managed}
    if checksums is None:
        checksums = {}
        for name in media_names():
            with default_storage.open(name, "rb") as file:
                checksums[name] = hashlib.sha256(file.read()).hexdigest()
    state.update((f"file:{name}", checksum) for name, checksum in checksums.items())
    return state


def media_names(folder=""):
    """The name of every file in the default storage, walked with its listdir (a folder on disk or a bucket)."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:  # no media folder yet
        return
    for name in sorted(files):
        yield posixpath.join(folder, name)
    for subfolder in sorted(folders):
        yield from media_names(posixpath.join(folder, subfolder))


def _libpq_url():
    """The database for pg_dump and pg_restore, without its password: a command line is visible to every user
    of the machine (`ps`), so the password travels in the environment (`_libpq_env()`)."""
    from django.db import connection

    database = connection.settings_dict
    host, port = database["HOST"] or "localhost", database["PORT"] or 5432
    return f"postgresql://{database['USER']}@{host}:{port}/{database['NAME']}"


def _libpq_env():
    from django.db import connection

    password = connection.settings_dict["PASSWORD"]
    return {**os.environ, **({"PGPASSWORD": password} if password else {})}


if __name__ == "__main__":
    main()
