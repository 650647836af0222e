"""Uploaded media served by the app itself, when they are on its own disk (one machine: `make serve`).

With object storage (AWS_STORAGE_BUCKET_NAME, see settings) the bucket or its CDN serves them and this view is
not mounted. Written here rather than taken from a library: WhiteNoise reads its list of files once at start-up
(its autorefresh mode, which would see new uploads, is for development only), and Django's `static.serve` and
django-downloadview answer no Range requests, which the audio player needs to seek.
"""

import os
import re
import stat
from pathlib import PurePosixPath

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_safe

# Upload names are random and never reused (mindlab/uploads.py; a taken name gets another), so a URL always
# means the same bytes and may be kept for a year.
CACHE_CONTROL = "public, max-age=31536000, immutable"
# The kinds of file uploads accept are shown inline. Anything else is sent as a download, so no file in the media
# folder can ever be a page (HTML, SVG with script) on the site's own origin.
CONTENT_TYPES = {
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp", ".gif": "image/gif",
    ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg", ".oga": "audio/ogg", ".wav": "audio/wav",
}
_ONE_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
_UNSATISFIABLE = object()


def serves_media():
    """The app serves uploads only when they are on its own disk; object storage serves its own."""
    return isinstance(storages["default"], FileSystemStorage)


@require_safe
def serve(request, path):
    """One media file, with its type, validators (ETag, Last-Modified: 304s) and one byte range (206, 416)."""
    storage = storages["default"]
    if not isinstance(storage, FileSystemStorage):
        raise Http404("Media are not served from here.")
    try:
        full_path = storage.path(path)  # SuspiciousFileOperation for anything outside the media root
        info = os.stat(full_path)
    except (SuspiciousFileOperation, OSError, ValueError) as error:  # ValueError: a NUL byte in the path
        raise Http404("No such file.") from error
    if not stat.S_ISREG(info.st_mode):  # a folder is never listed
        raise Http404("No such file.")

    etag = f'"{info.st_mtime_ns:x}-{info.st_size:x}"'
    headers = {"ETag": etag, "Last-Modified": http_date(info.st_mtime), "Cache-Control": CACHE_CONTROL,
               "Accept-Ranges": "bytes", "X-Content-Type-Options": "nosniff"}
    conditional = get_conditional_response(request, etag, int(info.st_mtime), HttpResponse(headers=headers))
    if conditional.status_code != 200:
        return conditional  # 304 Not Modified, or 412 for a failed If-Match

    size = info.st_size
    known_type = CONTENT_TYPES.get(PurePosixPath(path).suffix.lower())
    content_type = known_type or "application/octet-stream"
    byte_range = _byte_range(request, etag, int(info.st_mtime), size)
    if byte_range is _UNSATISFIABLE:
        return HttpResponse(status=416, headers={"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes"})
    if byte_range:
        start, end = byte_range
        status, length = 206, end - start + 1
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    else:
        status, start, length = 200, 0, size

    if request.method == "HEAD":
        response = HttpResponse(status=status, content_type=content_type, headers=headers)
    elif status == 200:
        response = FileResponse(open(full_path, "rb"), content_type=content_type, headers=headers)
    else:
        response = StreamingHttpResponse(_chunks(full_path, start, length), status=status,
                                         content_type=content_type, headers=headers)
    response.headers["Content-Length"] = str(length)
    if not known_type:
        response.headers["Content-Disposition"] = "attachment"
    return response


def _byte_range(request, etag, last_modified, size):
    """(first, last) byte of the one range asked for; None for the whole file; _UNSATISFIABLE for a 416.

    Several ranges, an unreadable header, or an If-Range the file no longer matches get the whole file, as
    RFC 9110 (14.2) allows: the player asks again for what it needs.
    """
    match = _ONE_RANGE.fullmatch(request.headers.get("Range", "").replace(" ", ""))
    if not match or match.groups() == ("", ""):
        return None
    if_range = request.headers.get("If-Range")
    if if_range and if_range != etag and parse_http_date_safe(if_range) != last_modified:
        return None
    first, last = match.groups()
    if not first:  # "bytes=-500": the last 500 bytes
        return (max(size - int(last), 0), size - 1) if int(last) and size else _UNSATISFIABLE
    first, last = int(first), int(last) if last else None
    if last is not None and last < first:
        return None
    if first >= size:
        return _UNSATISFIABLE
    return first, size - 1 if last is None else min(last, size - 1)


def _chunks(path, start, length, block_size=64 * 1024):
    with open(path, "rb") as file:
        file.seek(start)
        while length > 0:
            chunk = file.read(min(block_size, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk
