"""The browser tests' guards catch what they exist for: a request to the internet is aborted and
counted, an inline script without the page's nonce is blocked by the CSP and reported."""

from __future__ import annotations

EXTERNAL = "https://www.gstatic.com/charts/loader.js"  # what the user statistics page once loaded


def wait_for(tab, condition, seconds: float = 5) -> None:
    """Let the browser's events arrive (they are delivered while Playwright waits)."""
    for _ in range(int(seconds * 20)):
        if condition():
            return
        tab.page.wait_for_timeout(50)


def test_a_request_outside_the_app_is_aborted_and_counted(tab):
    tab.goto("/login/")
    tab.page.goto("about:blank")  # a page without Penkom's CSP, so the browser really tries the request
    tab.page.set_content(f'<img src="{EXTERNAL}">')
    wait_for(tab, lambda: tab.watch.external)
    assert tab.watch.external == [EXTERNAL]
    assert tab.page.evaluate("document.images[0].naturalWidth") == 0  # nothing came back
    tab.watch.external.clear()  # seen and checked; the test itself must end clean
    tab.watch.console.clear()


def test_an_inline_script_without_the_nonce_is_blocked_by_the_csp_and_reported(tab):
    tab.goto("/login/")
    tab.page.evaluate("""() => {
        const script = document.createElement('script');
        script.textContent = 'window.injected = true';
        document.head.appendChild(script);
    }""")  # fmt: skip
    wait_for(tab, lambda: len(tab.watch.csp) == 2)
    event, console = sorted(tab.watch.csp, key=lambda v: v.startswith("console:"))
    assert event.startswith("script-src-elem blocked 'inline'"), tab.watch.csp  # securitypolicyviolation
    assert console.startswith("console: Executing inline script violates"), tab.watch.csp
    assert tab.page.evaluate("window.injected === undefined")
    tab.watch.csp.clear()
