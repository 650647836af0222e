"""Where Markdown files come from: a file, a folder (every `*.md` below it) or a .zip archive.

An archive is read in memory, never extracted: a member name that is absolute or climbs out with `..` refuses
the whole archive, and the sizes are capped before anything is read (a zip's declared sizes bound what Python's
zipfile reads). A file's images and audio are named by paths relative to it; they are read from inside the
folder or archive it came from, never from outside it.
"""

import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings

MAX_MARKDOWN_BYTES = 5 * 1024 * 1024
MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024  # uncompressed, all members together


class SourceError(Exception):
    """A PATH that cannot be read at all (missing, not Markdown, an unsafe archive): one line, nothing of it."""


class AttachmentError(Exception):
    """An image or audio file a Markdown file names that cannot be read."""


@dataclass
class SourceFile:
    """One Markdown file: `name` is how reports name it, `data` its bytes; `read_attachment(path)` reads a
    file it names by a path relative to itself."""

    name: str
    data: bytes
    _reader: object = field(repr=False, default=None)
    _directory: str = ""

    def read_attachment(self, relative_path):
        path = str(relative_path or "").strip()
        if not path or path.startswith(("/", "\\")) or "\\" in path or ":" in path.split("/")[0]:
            raise AttachmentError("give a path relative to this file, with / between folders")
        joined = posixpath.normpath(posixpath.join(self._directory, path))
        if joined == ".." or joined.startswith("../"):
            raise AttachmentError("the path leads outside the folder or archive being imported")
        return self._reader(joined)


def collect(paths):
    """(sources, problems): the Markdown files under each PATH, and one (path, message) per PATH that failed."""
    files, problems = [], []
    for path in paths:
        try:
            files.extend(_read_path(Path(path)))
        except SourceError as error:
            problems.append((str(path), str(error)))
    return files, problems


def _read_path(path):
    if path.is_dir():
        root = path.resolve()
        return [_from_folder(root, file) for file in sorted(root.rglob("*.md"))
                if file.is_file() and file.resolve().is_relative_to(root)]  # no link out of the folder
    if not path.exists():
        raise SourceError("no such file or folder")
    if path.suffix.lower() == ".zip":
        return _from_zip(path)
    if path.suffix.lower() != ".md":
        raise SourceError("not a Markdown file (.md), a folder or a .zip archive")
    return [_from_folder(path.resolve().parent, path.resolve(), name=str(path))]


def _from_folder(root, file, name=None):
    relative = file.relative_to(root).as_posix()

    def read(member):
        target = (root / member).resolve()
        if not target.is_relative_to(root):  # a symbolic link pointing out of the folder
            raise AttachmentError("the path leads outside the folder being imported")
        if not target.is_file():
            raise AttachmentError("no such file")
        if target.stat().st_size > settings.MAX_AUDIO_UPLOAD_BYTES:
            raise AttachmentError("the file is larger than any upload may be")
        return target.read_bytes()

    if file.stat().st_size > MAX_MARKDOWN_BYTES:
        raise SourceError(f"{relative}: larger than {MAX_MARKDOWN_BYTES // (1024 * 1024)} MB")
    return SourceFile(name or relative, file.read_bytes(), read, posixpath.dirname(relative))


def safe_members(archive):
    """The files of an open zip archive, once it is known to be safe to read: SourceError when a member's name is
    absolute or climbs out with `..` (the whole archive is refused), or when it holds too much uncompressed."""
    members = []
    for info in archive.infolist():
        name = info.filename
        parts = PurePosixPath(name).parts
        if name.startswith(("/", "\\")) or "\\" in name or ".." in parts or (parts and ":" in parts[0]):
            raise SourceError(f'"{name}": a path outside the archive; nothing of this archive was imported')
        if not info.is_dir():
            members.append(info)
    if sum(info.file_size for info in members) > MAX_ARCHIVE_BYTES:
        raise SourceError(f"more than {MAX_ARCHIVE_BYTES // (1024 * 1024)} MB uncompressed; split it")
    return members


def _from_zip(path):
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise SourceError(f"not a readable .zip archive ({error})") from error
    with archive:
        members = {posixpath.normpath(info.filename): info for info in safe_members(archive)}
        attachments = {}

        def read(member):
            if member not in members:
                raise AttachmentError("no such file in the archive")
            if members[member].file_size > settings.MAX_AUDIO_UPLOAD_BYTES:
                raise AttachmentError("the file is larger than any upload may be")
            if member not in attachments:
                with zipfile.ZipFile(path) as again:
                    attachments[member] = again.read(members[member])
            return attachments[member]

        sources = []
        for member, info in sorted(members.items()):
            if not member.lower().endswith(".md") or member.startswith("__MACOSX/"):
                continue
            label = f"{path.name}:{member}"
            if info.file_size > MAX_MARKDOWN_BYTES:
                raise SourceError(f"{member}: larger than {MAX_MARKDOWN_BYTES // (1024 * 1024)} MB")
            sources.append(SourceFile(label, archive.read(info), read, posixpath.dirname(member)))
        return sources

