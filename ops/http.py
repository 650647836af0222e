"""A small HTTP client for the operations scripts: cookies, CSRF tokens and admin forms, on loopback."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from html.parser import HTMLParser


class Browser:
    def __init__(self, base):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies),
                                                  _NoRedirect())

    def request(self, path, data=None, files=None):
        """GET, or POST `data` ({name: [value, ...]}); with `files` ({name: (filename, bytes, type)}) as a
        multipart form, as a browser sends an upload."""
        headers = {"Referer": self.base + path}
        if files:
            body, headers["Content-Type"] = multipart(data or {}, files)
        else:
            body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def form(self, path, form_id=None):
        """The named form's current values, as a browser would submit them, and the page's HTML."""
        status, _, html = self.request(path)
        return form_values(html, form_id), html

    def login(self, username, password, admin_path="/admin/"):
        values, _ = self.form(f"{admin_path}login/")
        status, headers, _ = self.request(f"{admin_path}login/", {**values, "username": username,
                                                                  "password": password})
        return status == 302


def form_values(html, form_id=None):
    """The values of the form with this id (or of the first form) as a browser would submit them:
    {name: [value, ...]}, unchecked boxes and file inputs left out."""
    parser = _FormParser(form_id)
    parser.feed(html)
    return parser.values


def admin_form_values(html, model):
    """The values of a Django admin change or add form for `model` (the page has other forms: log out)."""
    return form_values(html, f"{model._meta.model_name}_form")


def multipart(data, files):
    """A multipart/form-data body and its Content-Type, from form values and (filename, bytes, type) files."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, values in data.items():
        for value in values if isinstance(values, list) else [values]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.values = form_id, False, {}
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (self.form_id is None or attrs.get("id") == self.form_id):
            self.inside = True
        if not self.inside or not attrs.get("name") and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in {"submit", "button", "file", "image"}:
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            default = "on" if attrs.get("type") in {"checkbox", "radio"} else ""
            self.values.setdefault(attrs["name"], []).append(attrs.get("value", default))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values[self._textarea] = [""]
        elif tag == "select":
            self._select = attrs["name"]
            self.values.setdefault(self._select, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select].append(attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea:
            value = self.values[self._textarea][0]
            # A browser drops the newline that opens a textarea (Django's widget writes one).
            self.values[self._textarea][0] = value + (data.removeprefix("\n") if not value else data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False
