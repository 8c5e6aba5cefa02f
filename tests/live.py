"""Penkom served by a real HTTP server on loopback, in a thread of the test process, so that a test can
prepare and check the same database the requests work on (browser tests, concurrency tests)."""

from __future__ import annotations

import threading

from werkzeug.serving import WSGIRequestHandler, make_server


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code="-", size="-"):
        """One line per request on stderr drowns the test output; the tests report what went wrong."""


class LiveServer:
    """A real HTTP server for `app` on 127.0.0.1 and a free port, in a thread of the test process; it
    serves each request in its own thread, as gunicorn's threads do."""

    def __init__(self, app):
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="penkom-live-server", daemon=True)

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)
