"""The map in a real browser: a park's staff open the park's map, see its boundary drawn (from the park's
own shapes, no tiles) and the enterprise leasing in its building as a point; a click on the point opens
the enterprise's page, and an open appeal placed in the park opens the appeal's. Then the same map on a
phone (390 px) in Chinese."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from zoneos.appeals.models import Appeal

pytestmark = pytest.mark.browser


def click_point(page, value):
    """Click the map's canvas where ECharts draws `value` ([lng, lat])."""
    page.wait_for_function("window.ZoneOSMap && window.ZoneOSMap.getOption().series.length === 7")
    x, y = page.evaluate("(v) => window.ZoneOSMap.convertToPixel({geoIndex: 0}, v)", value)
    box = page.locator("[data-testid=space-map]").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_park_staff_open_an_enterprise_from_the_parks_map(live_world, live_server, page, sign_in, shot):
    w = live_world
    sign_in("park_staff")
    page.click("[data-testid=lang-en]")
    page.goto(f"{live_server.url}/space/map/?area={w.P1.pk}")
    page.wait_for_function("window.ZoneOSMap !== undefined")
    drawn = page.evaluate(
        """() => {
          const option = window.ZoneOSMap.getOption();
          const map = echarts.getMap(option.geo[0].map);
          return {
            boundaries: map.geoJSON.features.filter((f) => f.properties.kind === "boundary").length,
            regions: option.geo[0].regions
              .filter((r) => r.itemStyle && r.itemStyle.borderWidth === 2).length > 0,
            enterprises: option.series[2].data.map((d) => d.name),
            platforms: option.series[6].data.map((d) => d.name),
          };
        }"""
    )
    assert drawn == {
        "boundaries": 1,
        "regions": True,
        "enterprises": [w.E1.name],
        "platforms": [w.IP1.name],  # hosted by E1, drawn beside it
    }
    expect(page.locator("[data-testid=count-enterprises]")).to_have_text("1")
    shot("space-map-1440-en")

    value = page.evaluate("() => window.ZoneOSMap.getOption().series[2].data[0].value")
    click_point(page, value)
    page.wait_for_url(f"{live_server.url}/enterprises/{w.E1.pk}/")
    expect(page.locator("h1")).to_contain_text(w.E1.name)

    # An appeal an Open311 caller placed in the park (WGS-84) is drawn too, and opens its page.
    appeal = w.records["AP1"]
    Appeal.objects.filter(pk=appeal.pk).update(latitude=Decimal("23.114"), longitude=Decimal("113.006"))
    page.goto(f"{live_server.url}/space/map/?area={w.P1.pk}")
    expect(page.locator("[data-testid=count-appeals]")).to_have_text("1")
    click_point(page, page.evaluate("() => window.ZoneOSMap.getOption().series[5].data[0].value"))
    page.wait_for_url(f"{live_server.url}/appeals/{appeal.pk}/")
    expect(page.locator("[data-testid=appeal-location]")).to_contain_text("23.114000, 113.006000")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/space/map/?area={w.P1.pk}")
    if page.locator("[data-testid=lang-zh-hans]").is_visible():
        page.click("[data-testid=lang-zh-hans]")
        page.goto(f"{live_server.url}/space/map/?area={w.P1.pk}")
    click_point(page, value)
    page.wait_for_url(f"{live_server.url}/enterprises/{w.E1.pk}/")
    page.go_back()
    page.wait_for_function("window.ZoneOSMap !== undefined")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot("space-map-390")


def test_the_show_button_beside_the_area_selector_stays_on_one_line(live_world, live_server, page, sign_in):
    """In Chinese, with a park's long name in the selector, 查看 reads on one line at 1440 px and on a
    phone: the selector gives way, not the button (it was squeezed to a character a line)."""
    from zoneos.areas.models import Area

    Area.objects.filter(pk=live_world.P1.pk).update(name="潼湖生态智慧区国际合作创新产业园区（东区）")
    sign_in("admin")
    page.context.add_cookies([{"name": "zoneos_language", "value": "zh-hans", "url": live_server.url}])
    lines = """() => {
      const button = document.querySelector("[data-testid=map-show]");
      const range = document.createRange();
      range.selectNodeContents(button);
      const rows = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      return {text: button.textContent.trim(), lines: rows.size};
    }"""
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/space/map/")
        assert page.evaluate(lines) == {"text": "查看", "lines": 1}, width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
