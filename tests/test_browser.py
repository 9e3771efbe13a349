"""The resident web chat and the operator console in real Chromium at a phone's 375×667 viewport.

One browser for all of them; each test opens its own contexts (separate cookie jars), so the resident
and the operator are two independent browsers as far as the bot can tell. Every wait is on a condition
(Playwright's ``expect``), never a fixed sleep.
"""
from __future__ import annotations

import re
from typing import Iterator

import pytest
from argon2 import PasswordHasher

from tests.browser import CHROMIUM_ARGS, PHONE, LiveServer, chromium_path, save_screenshot
from tests.conftest import make_settings

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency: make test")
expect = playwright_api.expect
expect.set_options(timeout=15_000)  # a condition, not a sleep: generous for a loaded 2-core machine

OPERATOR, PASSWORD = "alice", "correct horse battery"
# Cheap argon2 parameters keep sign-in fast in tests; verification reads them from the hash itself.
HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


@pytest.fixture(scope="module")
def live(redis_url: str) -> Iterator[LiveServer]:
    settings = make_settings(redis_url=redis_url, operator_accounts={OPERATOR: HASH},
                             operator_hours="Mon-Sun 00:00-24:00", web_cookie_secret="browser-test-secret")
    server = LiveServer(settings).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One Chromium for all the browser tests (they live in this module). Playwright's sync API runs an
    event loop of its own in this thread, so it must be gone before the suite's asyncio tests run."""
    path = chromium_path()
    if path is None:
        pytest.fail("Chromium is not installed: `make test` installs Debian's chromium and chromium-driver")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def phone(browser, live: LiveServer, requests: list[str] | None = None):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    context.set_default_timeout(15_000)
    page = context.new_page()
    if requests is not None:
        page.on("request", lambda r: requests.append(r.url))
    return context, page


def tap_and_wait(page, target) -> None:
    """Tap ``target`` and wait for the bot's next bubble."""
    bots = page.locator(".msg.bot")
    before = bots.count()
    target.tap()
    expect(bots).to_have_count(before + 1)


def option(page, index: int):
    return page.locator(".option:enabled").nth(index)


def no_horizontal_overflow(page) -> None:
    widths = page.evaluate("""() => ({doc: document.documentElement.scrollWidth, view: window.innerWidth,
        wide: Array.from(document.querySelectorAll('body *')).filter(e => e.offsetParent !== null &&
              e.getBoundingClientRect().right > window.innerWidth + 0.5).map(e => e.tagName + '.' + e.className)})""")
    assert widths["doc"] <= widths["view"] == PHONE["width"], widths
    assert widths["wide"] == [], widths


def small_buttons(page) -> list[float]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('button'))
        .filter(b => b.offsetParent !== null).map(b => b.getBoundingClientRect().height).filter(h => h < 44)""")


def test_resident_completes_a_refund_by_tapping_buttons(browser, live):
    requests: list[str] = []
    context, page = phone(browser, live, requests)
    page.goto(live.url + "/web")
    expect(page.locator(".msg.bot").first).to_contain_text("医保办事助手")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") >= 18  # large by default

    tap_and_wait(page, page.locator(".option:enabled", has_text="医保退费"))
    expect(page.locator(".msg.bot").last).to_contain_text("城乡居民医保")
    tap_and_wait(page, option(page, 0))  # 城乡居民医保
    reason_question = page.locator(".msg.bot").last.inner_text()
    tap_and_wait(page, page.locator("#tools [data-payload='cmd:back']"))  # 返回上一步
    expect(page.locator(".msg.bot").last).to_contain_text("回到上一步")
    tap_and_wait(page, option(page, 0))  # 城乡居民医保 again
    assert page.locator(".msg.bot").last.inner_text() == reason_question
    for index in (0, 0, 1, 0, 1):  # 重复缴费 → 同地区 → 没用过 → 手机上办 → 税务
        tap_and_wait(page, option(page, index))
    guidance = page.locator(".msg.bot").last
    expect(guidance).to_contain_text("可以申请退费")
    expect(guidance).to_contain_text("以当地医保部门的规定为准")

    assert small_buttons(page) == []
    no_horizontal_overflow(page)
    guidance.evaluate("e => e.scrollIntoView({block: 'start'})")
    save_screenshot(page, "web-chat.png")
    # everything the page loaded came from the bot itself: no CDN, no web fonts
    assert requests and all(u.startswith(live.url) for u in requests), requests

    # 大字 makes the text larger still, and the page still fits the phone
    size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.locator("#xl").tap()
    expect(page.locator("#xl")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") > size
    no_horizontal_overflow(page)

    # the English switch changes the conversation and the page around it
    tap_and_wait(page, page.locator("#lang"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#send")).to_have_text("Send")
    expect(page.locator(".msg.bot").last).to_contain_text("switched to English")
    context.close()


def test_resident_reaches_an_operator_and_comes_back_to_the_bot(browser, live):
    resident_ctx, resident = phone(browser, live)
    resident.goto(live.url + "/web")
    expect(resident.locator(".option:enabled").first).to_be_visible()
    resident.evaluate("window.__samePage = true")  # gone if the page were reloaded
    tap_and_wait(resident, resident.locator("#tools [data-payload='cmd:handoff']"))  # 转人工
    expect(resident.locator("#banner")).to_be_visible()
    expect(resident.locator("#handoff-tools")).to_be_visible()
    ticket = re.search(r"工单号是 (\d+)", resident.locator(".msg.bot").last.inner_text()).group(1)

    operator_ctx, operator = phone(browser, live)
    operator.goto(live.url + "/console")
    operator.fill("#username", OPERATOR)
    operator.fill("#password", PASSWORD)
    operator.locator("form button[type=submit]").tap()
    entry = operator.locator(f"[data-ticket='{ticket}']")
    expect(entry).to_contain_text("web")
    entry.tap()
    expect(operator.locator("#context")).to_contain_text("menu")
    operator.locator("#claim-form button").tap()
    expect(operator.locator("#ticket-title")).to_contain_text(OPERATOR)

    # the resident writes: the operator sees it live, the phone number masked
    resident.fill("#text", "我的电话是13812345678,想问怎么退费")
    resident.locator("#send").tap()
    expect(operator.locator("#transcript")).to_contain_text("138****5678")
    assert "13812345678" not in operator.content()

    # a quick reply from the FAQ answers fills the reply box; the operator writes their own
    operator.locator("details.quick summary").tap()
    operator.locator("#quick button").first.tap()
    expect(operator.locator("#reply-text")).not_to_have_value("")
    operator.fill("#reply-text", "您好,我是客服小王。重复缴费可以退,请问您是在哪里交的?")
    operator.locator("#reply-form button[type=submit]").tap()
    expect(resident.locator(".msg.operator").last).to_contain_text("我是客服小王")  # no reload
    expect(operator.locator("#transcript")).to_contain_text("我是客服小王")
    no_horizontal_overflow(operator)
    assert small_buttons(operator) == []
    operator.locator("#detail").evaluate("e => e.scrollIntoView({block: 'start'})")
    save_screenshot(operator, "web-console.png")

    operator.fill("#closing", "祝您生活愉快,再见。")
    operator.locator("#close-form button").tap()
    expect(resident.locator(".msg.operator").last).to_contain_text("人工客服已结束本次服务")
    expect(resident.locator(".msg.operator", has_text="祝您生活愉快")).to_have_count(1)
    expect(resident.locator("#banner")).to_be_hidden()
    expect(operator.locator(f"[data-ticket='{ticket}']")).to_have_count(0)  # gone from the queue

    # back with the bot
    tap_and_wait(resident, resident.locator("#tools [data-payload='cmd:restart']"))
    expect(resident.locator(".msg.bot").last).to_contain_text("请问您想办哪件事")
    assert resident.evaluate("window.__samePage") is True
    no_horizontal_overflow(resident)
    resident_ctx.close()
    operator_ctx.close()
