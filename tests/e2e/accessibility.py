"""axe-core in a page: the serious and critical violations it finds. axe is vendored from npm
under tests/e2e/vendor (never served by the app)."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page

AXE = Path(__file__).with_name("vendor") / "axe.min.js"

_RUN = """async () => {
    const r = await axe.run(document, {resultTypes: ["violations"]});
    return {
      rules: r.passes.length + r.violations.length,
      serious: r.violations
        .filter(v => v.impact === "serious" || v.impact === "critical")
        .map(v => `${v.id} (${v.impact}): ` + v.nodes.slice(0, 3).map(n => n.target.join(" "))),
    };
}"""


async def serious_violations(page: Page) -> list[str]:
    # Evaluated through the driver when the context did not inject it: the pages' CSP
    # (rightly) refuses an inline script tag.
    if not await page.evaluate("typeof axe !== 'undefined'"):
        await page.evaluate(AXE.read_text())
    result = await page.evaluate(_RUN)
    assert result["rules"] > 20, result  # axe really looked at the page
    found: list[str] = result["serious"]
    return found
