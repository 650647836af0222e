"""A mail server on loopback for the mail tests and `make soak`: it answers (aiosmtpd, keeping every message it
receives), or hangs (accepts connections and never says a word), or is down (nothing listens)."""

import socket
import threading
from email import message_from_bytes

from aiosmtpd.controller import Controller

from ops.servers import free_port


class MailServer:
    def __init__(self, port=None):
        self.port = port or free_port()
        self.received = []  # (recipients, subject) of each message accepted
        self.hung_connections = 0  # connections taken while hung
        self._smtp = self._listener = None
        self._held = []
        self._lock = threading.Lock()

    def answer(self):
        self.down()
        self._smtp = Controller(self, hostname="127.0.0.1", port=self.port)
        self._smtp.start()
        return self

    def hang(self):
        self.down()
        self._listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._hold, args=(self._listener,), daemon=True).start()
        return self

    def down(self):
        if self._smtp:
            self._smtp.stop()
            self._smtp = None
        if self._listener:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept(), freeing the port
            self._listener.close()
            self._listener = None
        with self._lock:
            for held in self._held:
                held.close()
            self._held.clear()

    def messages_to(self, address):
        with self._lock:
            return [subject for recipients, subject in self.received if address in recipients]

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        subject = message_from_bytes(envelope.original_content)["Subject"]
        with self._lock:
            self.received.append((list(envelope.rcpt_tos), subject))
        return "250 Message accepted for delivery"

    def _hold(self, listener):
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:  # closed: the server answers again, or is down
                return
            with self._lock:
                self._held.append(connection)
                self.hung_connections += 1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.down()
