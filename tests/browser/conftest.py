"""Fixtures of the browser tests (marker `browser`): Penkom served on 127.0.0.1 with CSRF and the CSP on,
driven by Debian's Chromium through pytest-playwright, with the network outside the app closed.

- They run in `make test` when Chromium is installed (/usr/bin/chromium, or PENKOM_CHROMIUM) and are
  skipped with the reason otherwise; `.ci/run` installs Debian's `chromium` and sets
  PENKOM_REQUIRE_BROWSER=1, so in CI a missing browser fails instead of skipping.
- They run once per CI, on SQLite: with PENKOM_TEST_DATABASE_URL (the PostgreSQL run) they are skipped,
  because they prove the screens, which are the same on both engines; the HTTP tests prove the engines.
- Screenshots of every step go into one folder per run (browser-screenshots/, or PENKOM_SCREENSHOTS);
  the run prints its path at the end.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, Shots, Tab, Watch
from tests.conftest import make_app, print_summary
from tests.live import LiveServer

_SHOTS: list[Shots] = []
_SEEN = {"pages": 0, "external": 0}  # over the whole run, for the summary at its end
# A clerk's office computer in Indonesia; a test may ask for another window (e.g. a phone's 375 px).
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "id-ID", "timezone_id": "Asia/Jakarta"}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


def _summary() -> dict | None:
    """What the browser tests saw in this process (None: none ran here)."""
    if not _SHOTS:
        return None
    return {**_SEEN, "taken": sum(len(s.taken) for s in _SHOTS), "folder": str(_SHOTS[0].folder)}


def pytest_sessionfinish(session):
    # In a pytest-xdist worker: hand the summary to the controller, which prints it (tests/conftest.py).
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None and (summary := _summary()):
        workeroutput["penkom_browser"] = summary


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if summary := _summary():
        print_summary(terminalreporter, summary)


@pytest.fixture(scope="session")
def chromium() -> str:
    """The browser to drive, or skip (fail in CI) with the reason."""
    if os.environ.get("PENKOM_TEST_DATABASE_URL"):
        pytest.skip("browser tests run once per CI, on SQLite (the screens are the same on PostgreSQL)")
    if not os.access(CHROMIUM, os.X_OK):
        reason = f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install chromium)"
        if os.environ.get("PENKOM_REQUIRE_BROWSER") == "1":
            pytest.fail(reason + "; PENKOM_REQUIRE_BROWSER=1 demands the browser tests")
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser_type_launch_args(pytestconfig, chromium) -> dict:
    """pytest-playwright launches this instead of a downloaded browser (never `playwright install`).
    Each launch gets a fresh temporary profile (Playwright's own user-data-dir)."""
    headless = not pytestconfig.getoption("--headed")
    return {
        "executable_path": chromium,
        "headless": headless,
        "args": (["--headless"] if headless else []) + CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def live_server(chromium):
    """Penkom as a user meets it: its own SQLite database, CSRF on, the CSP on, errors answered by the
    app's error pages (TESTING off), on 127.0.0.1 at a free port."""
    app = make_app("browser", TESTING=False, WTF_CSRF_ENABLED=True, SERVER_NAME=None)
    server = LiveServer(app).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Pages are opened by path (`tab.goto("/kasusview/list/")`); this one fixture replaces the
    plugin's --base-url (whose fallback fixture trips pytest's deprecation warnings, errors here)."""
    return live_server.url


@pytest.fixture(scope="session")
def shots(pytestconfig, chromium) -> Shots:
    """The run's screenshot folder: browser-screenshots/ in the checkout (or PENKOM_SCREENSHOTS), emptied
    of the previous run's screenshots when the first browser test starts. Not pytest-playwright's
    --output folder: every pytest run empties that one, so the PostgreSQL run of CI would delete them."""
    folder = Path(os.environ.get("PENKOM_SCREENSHOTS") or pytestconfig.rootpath / "browser-screenshots").absolute()
    for old in folder.glob("[0-9][0-9][0-9]-*.png"):
        old.unlink()
    shots = Shots(folder)
    _SHOTS.append(shots)
    return shots


@pytest.fixture
def open_tab(new_context, live_server, shots):
    """Open a window for one person: `open_tab("kabid")`, `open_tab("hp", viewport={"width": 375, ...})`.
    Each window has its own cookies; at the end of the test none may have seen anything `Watch` forbids."""
    watches: list[Watch] = []

    def factory(prefix: str = "", **context_args) -> Tab:
        context = new_context(**{**DESKTOP, **context_args})
        watch = Watch(origin=live_server.url)
        watch.attach(context)
        watches.append(watch)
        return Tab(context.new_page(), watch, shots, prefix=f"{prefix}-" if prefix else "")

    yield factory
    _SEEN["pages"] += sum(len(w.pages) for w in watches)
    _SEEN["external"] += sum(len(w.external) for w in watches)
    problems = [line for watch in watches for line in watch.problems()]
    assert not problems, "\n".join(problems)
    assert sum(len(w.external) for w in watches) == 0


@pytest.fixture
def tab(open_tab) -> Tab:
    return open_tab()
