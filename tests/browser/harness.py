"""The parts of a browser test: Debian's Chromium, a watch on everything the pages do that must never
happen, and a tab that walks the app the way a user does (Penkom itself is served by tests/live.py).

Nothing here knows a particular flow; tests combine a `Tab` per person with the fixtures in conftest.py.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page, Route, expect

# Debian's `chromium` package, never a browser build downloaded by `playwright install`.
CHROMIUM = os.environ.get("PENKOM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root in a container
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Chromium's own traffic (component updates, safe browsing lists, sync) stays off: offline machine.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Runs in every document before its own scripts (Playwright injects it; the page's CSP does not apply).
# It reports each HTML page's <html lang> and every CSP violation to the test through `penkomReport`.
_PAGE_PROBE = """
(() => {
  const report = (kind, data) => { try { window.penkomReport(kind, data); } catch (e) {} };
  document.addEventListener('securitypolicyviolation', e => report('csp', {
    directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber,
    sample: e.sample}));
  document.addEventListener('DOMContentLoaded', () => {
    if (document.contentType === 'text/html')
      report('page', {lang: document.documentElement.getAttribute('lang'), url: location.href});
  });
})();
"""


@dataclass
class Watch:
    """Everything a browser context did that must not happen, collected while the test runs:

    - requests to any address but the app's own (aborted, and counted: the count must stay 0);
    - Content-Security-Policy violations (the `securitypolicyviolation` event and console reports);
    - console errors and uncaught script errors;
    - server answers 500 and above;
    - an HTML page whose `<html lang>` differs from the language the user chose."""

    origin: str
    lang: str = "id"
    external: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    wrong_lang: list[str] = field(default_factory=list)
    pages: list[tuple[str, str]] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        context.route("**/*", self._route)
        context.expose_binding("penkomReport", self._report)
        context.add_init_script(_PAGE_PROBE)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.console.append(f"uncaught: {error.error}"))
        context.on("response", self._response)

    def _route(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" == self.origin or parts.scheme in ("data", "blob"):
            route.continue_()
        else:
            self.external.append(url)
            route.abort("blockedbyclient")

    def _report(self, source, kind: str, data: dict) -> None:
        if kind == "csp":
            self.csp.append(f"{data.get('directive')} blocked {data.get('blocked')!r} "
                            f"({data.get('source')}:{data.get('line')}) {data.get('sample') or ''}")  # fmt: skip
        elif kind == "page" and data["url"].startswith(self.origin):  # not the blank page a new tab starts on
            self.pages.append((data["url"], data["lang"]))
            if data["lang"] != self.lang:
                self.wrong_lang.append(f"{data['url']}: lang={data['lang']!r}, expected {self.lang!r}")

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.csp.append(f"console: {text}")
        elif message.type == "error":
            self.console.append(f"{message.location.get('url', '')}: {text}")

    def _response(self, response) -> None:
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.request.method} {response.url}")

    def problems(self) -> list[str]:
        """What went wrong so far, one line each; empty when all is well."""
        lines = [f"{len(self.external)} request(s) outside {self.origin}: {self.external}"] if self.external else []
        lines += [f"CSP violation: {v}" for v in self.csp]
        lines += [f"console error: {v}" for v in self.console]
        lines += [f"server error: {v}" for v in self.server_errors]
        lines += [f"wrong <html lang>: {v}" for v in self.wrong_lang]
        return lines


class Shots:
    """One folder of screenshots for the whole test run, numbered in the order they were taken."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.taken: list[Path] = []

    def take(self, page: Page, name: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        path = self.folder / f"{len(self.taken) + 1:03d}-{slug}.png"
        page.screenshot(path=path, full_page=True)
        self.taken.append(path)
        return path


class Tab:
    """One person's browser window on the live app: every navigation is watched, every step can be
    photographed, and anything the watch saw fails the test at the step where it happened."""

    def __init__(self, page: Page, watch: Watch, shots: Shots, prefix: str = ""):
        self.page = page
        self.watch = watch
        self.shots = shots
        self.prefix = prefix

    # -- navigation ------------------------------------------------------------------

    def goto(self, path: str) -> Page:
        response = self.page.goto(path)
        assert response is not None and response.status < 400, f"{path}: HTTP {response and response.status}"
        self.settle()
        return self.page

    def settle(self) -> None:
        """Wait until the page has loaded, then fail on anything the watch saw or a wrong <html lang>."""
        self.page.wait_for_load_state("load")
        lang = self.page.evaluate("document.documentElement.getAttribute('lang')")
        assert lang == self.watch.lang, f"{self.page.url}: <html lang={lang!r}>, expected {self.watch.lang!r}"
        self.assert_clean()

    def assert_clean(self) -> None:
        problems = self.watch.problems()
        assert not problems, "\n".join(problems)

    def shot(self, name: str) -> Path:
        """A full-page screenshot of this step into the run's folder (after checking the watch)."""
        self.settle()
        return self.shots.take(self.page, f"{self.prefix}{name}")

    def set_language(self, code: str) -> None:
        """Switch the language with the navbar's flag menu (the page comes back in that language); pages
        from then on must say so in <html lang>."""
        link = self.page.locator(f'a[href="/lang/{code}"]')
        self.page.locator(f'li.dropdown:has(a[href="/lang/{code}"]) > a.dropdown-toggle').click()
        self.watch.lang = code
        self.submit(link)
        assert self.page.evaluate("document.documentElement.lang") == code

    # -- people ----------------------------------------------------------------------

    def login(self, username: str, password: str) -> None:
        self.goto("/login/")
        self.page.fill("#username", username)
        self.page.fill("#password", password)
        self.submit(self.page.locator("form input[type=submit], form button[type=submit]").first)
        expect(self.page.locator("#username")).to_have_count(0)

    def logout(self) -> None:
        self.goto("/logout/")

    # -- forms -----------------------------------------------------------------------

    def submit(self, button) -> None:
        """Click a button or link that leads to another page and wait for that page."""
        with self.page.expect_navigation():
            button.click()
        self.settle()

    def choose(self, field_id: str, text: str) -> None:
        """Pick an option of a Select2 drop-down the way a user does: open it, type, press Enter."""
        self.page.click(f"#select2-{field_id}-container")
        search = self.page.locator(".select2-container--open .select2-search__field")
        search.fill(text)
        self.page.locator(".select2-results__option--highlighted", has_text=text).wait_for()
        search.press("Enter")
        expect(self.page.locator(f"#select2-{field_id}-container")).to_contain_text(text)

    def flashes(self) -> list[str]:
        """The messages the page shows at its top (FAB's flash alerts), as one line each."""
        return [" ".join(t.split()) for t in self.page.locator(".alert").all_inner_texts()]

    def scroll_width(self) -> int:
        return self.page.evaluate("document.documentElement.scrollWidth")
