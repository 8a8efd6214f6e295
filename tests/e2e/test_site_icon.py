"""No page asks the server for anything it does not have, the site's icon included."""

import pytest


@pytest.mark.parametrize("path", ["/", "/events/2020-clash", "/about"])
def test_a_page_loads_without_a_failed_request(page, path):
    failed = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    page.goto(path)
    page.wait_for_load_state("networkidle")
    icon = page.evaluate("fetch(document.querySelector('link[rel=icon]').href).then(r => r.status)")
    assert failed == []
    assert icon == 200
