"""An officer's everyday journeys in a real browser: sign in with two factors, find a child,
add a child (correcting a mistake), share a record, and what other agencies can and cannot
see. axe-core runs on every page the tests visit, and any console error or CSP violation
fails the test."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from django.test import RequestFactory
from playwright.sync_api import Page, expect

from cse_portal.audit import log_access
from cse_portal.models import AccessLog, Child
from tests.e2e.helpers import (
    assert_accessible,
    code_for_key,
    confirmed_device,
    enter_code,
    expect_children_list,
    expect_home,
    sign_in,
    submit_password,
)
from tests.factories import make_child

pytestmark = pytest.mark.e2e

SCREENSHOTS = "/tmp"  # noqa: S108 - screenshots for a human to look at, never in the repo


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def open_child_from_list(page: Page, name: str) -> None:
    page.get_by_role("link", name=name, exact=True).click()
    expect(heading(page)).to_have_text(name)
    assert_accessible(page)


def involvement_row(page: Page, agency_name: str):
    return page.locator("#involvements ~ .app-table-scroll table tbody tr").filter(
        has_text=agency_name
    )


def test_officer_enrols_two_factor_and_signs_in(page: Page, live_server, world) -> None:
    submit_password(page, live_server, world.owner)

    # First sign-in: the enrolment page, with a QR code and the key to type by hand.
    expect(page).to_have_url(re.compile(r"/account/two-factor/setup/"))
    expect(heading(page)).to_have_text("Set up two-factor sign-in")
    qr_code = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr_code).to_be_visible()
    expect(qr_code.locator("svg")).to_be_visible()
    key = page.locator(".app-secret-key").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", key), key
    assert_accessible(page)

    # The code an authenticator app would show for the key on the page is accepted.
    enter_code(page, code_for_key(key))

    expect_home(page)
    expect(page.get_by_role("alert")).to_contain_text("Two-factor sign-in is set up.")
    expect(page.locator(".app-header__user-name")).to_have_text("Olive Owner")
    assert_accessible(page)
    assert world.owner.totpdevice_set.get().confirmed


def test_officer_finds_a_child_by_name(page: Page, live_server, world) -> None:
    make_child(by=world.owner, first_name="Alex", last_name="Rivers")
    confirmed_device(world.owner)
    sign_in(page, live_server, world.owner)
    expect(page.locator("#result-count")).to_have_text("2 children.")

    page.get_by_label("Search by name").fill("Jamie")
    with page.expect_request(
        lambda r: r.method == "POST" and r.url.endswith("/children/")
    ) as search:
        page.get_by_role("button", name="Search").click()
    assert "q=Jamie" in (search.value.post_data or "")
    expect(page.locator("#result-count")).to_have_text("1 child matches your search.")

    # The name searched for stays out of the address bar (and so out of history and logs).
    assert "Jamie" not in page.url
    assert "?" not in page.url
    results = page.get_by_role("table")
    expect(results.get_by_role("link", name="Jamie Testchild")).to_be_visible()
    expect(results).not_to_contain_text("Alex Rivers")
    expect(page.get_by_label("Search by name")).to_have_value("Jamie")
    assert_accessible(page)

    open_child_from_list(page, "Jamie Testchild")
    expect(page).to_have_url(f"{live_server.url}{world.child.get_absolute_url()}")


def fill_in_a_child_with_mistakes(page: Page, *, year_of_birth: int) -> None:
    """The add-a-child form, with the names left out and the given year of birth."""
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Add a child").click()
    expect(heading(page)).to_have_text("Add a child")
    assert_accessible(page)
    page.get_by_label("Known as").fill("KB")
    date_of_birth = page.get_by_role("group", name="Date of birth")
    date_of_birth.get_by_label("Day").fill("14")
    date_of_birth.get_by_label("Month").fill("2")
    date_of_birth.get_by_label("Year").fill(str(year_of_birth))
    page.get_by_label("Boy or young man").check()
    page.get_by_label("School, college or setting").fill("Northdale College")
    page.get_by_label("Goes missing from home or care").check()
    page.get_by_role("button", name="Save child's details").click()


def test_officer_adds_a_child_after_correcting_a_validation_error(
    page: Page, live_server, world
) -> None:
    confirmed_device(world.owner)
    sign_in(page, live_server, world.owner)
    too_old = date.today().year - 20
    # An identified child with no name, and a date of birth that makes them an adult.
    fill_in_a_child_with_mistakes(page, year_of_birth=too_old)

    # The GOV.UK error summary takes the focus and links to the fields at fault.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Enter the child's first name or last name",
            re.compile(r"^The child must be under 18 – .*; check the date of birth$"),
        ],
        use_inner_text=True,
    )
    expect(page).to_have_title(re.compile(r"^Error: Add a child"))
    expect(page.locator("#id_first_name-error, .govuk-error-message").first).to_be_visible()
    summary.screenshot(path=f"{SCREENSHOTS}/cse-e2e-error-summary.png")
    page.screenshot(path=f"{SCREENSHOTS}/cse-e2e-error-summary-page.png", full_page=True)
    assert_accessible(page)
    summary.get_by_role("link", name="Enter the child's first name or last name").click()
    expect(page.get_by_label("First name")).to_be_focused()

    # Nothing the officer typed is lost.
    date_of_birth = page.get_by_role("group", name="Date of birth")
    expect(page.get_by_label("Known as")).to_have_value("KB")
    expect(date_of_birth.get_by_label("Day")).to_have_value("14")
    expect(date_of_birth.get_by_label("Month")).to_have_value("2")
    expect(date_of_birth.get_by_label("Year")).to_have_value(str(too_old))
    expect(page.get_by_label("Boy or young man")).to_be_checked()
    expect(page.get_by_label("School, college or setting")).to_have_value("Northdale College")
    expect(page.get_by_label("Goes missing from home or care")).to_be_checked()
    assert not Child.objects.filter(known_as="KB").exists()

    page.get_by_label("First name").fill("Kai")
    page.get_by_label("Last name").fill("Brennan")
    date_of_birth.get_by_label("Year").fill(str(date.today().year - 14))
    page.get_by_role("button", name="Save child's details").click()

    expect(heading(page)).to_have_text("Kai Brennan")
    expect(page.get_by_role("alert")).to_contain_text("Kai Brennan has been added.")
    details = page.locator(".govuk-summary-list").first
    expect(details).to_contain_text("KB")
    expect(details).to_contain_text(f"14 February {date.today().year - 14}")
    expect(details).to_contain_text("Boy or young man")
    expect(page.get_by_role("list", name="Groups at particular risk")).to_contain_text(
        "Goes missing from home or care"
    )
    created = involvement_row(page, "Brookfield Academy")
    expect(created).to_contain_text("Created the record")
    expect(created).to_contain_text("Involved")
    page.screenshot(path=f"{SCREENSHOTS}/cse-e2e-child-record.png", full_page=True)
    assert_accessible(page)

    # The record can be edited afterwards.
    page.get_by_role("link", name="Edit details").click()
    expect(heading(page)).to_have_text("Edit Kai Brennan")
    expect(page.get_by_label("School, college or setting")).to_have_value("Northdale College")
    assert_accessible(page)
    page.get_by_label("School, college or setting").fill("Northdale Sixth Form College")
    page.get_by_role("button", name="Save child's details").click()
    expect(page.get_by_role("alert")).to_contain_text("The child's details have been saved.")
    expect(page.locator(".govuk-summary-list").first).to_contain_text(
        "Northdale Sixth Form College"
    )
    assert_accessible(page)


def share_with_social_care(page: Page, reason: str) -> None:
    """From the child's record: share it with Northdale children's social care."""
    page.get_by_role("link", name="Share with another agency").click()
    expect(heading(page)).to_have_text("Share this record with another agency")
    assert_accessible(page)
    page.get_by_label("Agency to share with").select_option(
        label="Northdale Children's Social Care (Children's social care, Northdale Council)"
    )
    page.get_by_label("Why are you sharing this record?").fill(reason)
    page.get_by_role("button", name="Share record").click()


def test_officer_shares_a_record_with_another_agency(
    page: Page, persona_page, live_server, world
) -> None:
    confirmed_device(world.owner)
    confirmed_device(world.csc_officer)
    sign_in(page, live_server, world.owner)
    open_child_from_list(page, "Jamie Testchild")

    # Without a reason the share is refused, and the agency chosen is kept.
    share_with_social_care(page, reason="")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter why you are sharing this record")
    expect(page.get_by_label("Agency to share with").locator("option:checked")).to_have_text(
        "Northdale Children's Social Care (Children's social care, Northdale Council)"
    )
    assert_accessible(page)

    reason = "Social care are assessing the risk to Jamie after the school's referral."
    page.get_by_label("Why are you sharing this record?").fill(reason)
    page.get_by_role("button", name="Share record").click()

    expect(heading(page)).to_have_text("Jamie Testchild")
    expect(page.get_by_role("alert")).to_contain_text(
        "The record has been shared with Northdale Children's Social Care."
    )
    shared = involvement_row(page, "Northdale Children's Social Care")
    expect(shared).to_contain_text("Shared by another agency")
    expect(shared).to_contain_text(reason)
    expect(shared).to_contain_text("Olive Owner")
    assert_accessible(page)

    # An officer of that agency, in their own browser session, now sees the child.
    social_worker = persona_page()
    sign_in(social_worker, live_server, world.csc_officer)
    expect(
        social_worker.get_by_role("table").get_by_role("link", name="Jamie Testchild")
    ).to_be_visible()
    open_child_from_list(social_worker, "Jamie Testchild")


def test_uninvolved_officer_sees_page_not_found(
    page: Page, live_server, world, browser_problems
) -> None:
    confirmed_device(world.uninvolved)
    sign_in(page, live_server, world.uninvolved)
    expect(page.locator("#result-count")).to_have_text("0 children.")

    child_url = f"{live_server.url}{world.child.get_absolute_url()}"
    browser_problems.expect_http_error(child_url, 404)  # Chromium logs the 404 document load
    response = page.goto(child_url)

    assert response is not None and response.status == 404
    expect(heading(page)).to_have_text("Page not found")
    expect(page.locator("main")).not_to_contain_text("Jamie")
    assert_accessible(page)


def test_session_timeout_warning_appears(page: Page, live_server, world, settings) -> None:
    settings.CSE_SESSION_IDLE_SECONDS = 8
    settings.CSE_SESSION_WARNING_SECONDS = 5
    confirmed_device(world.owner)
    sign_in(page, live_server, world.owner)
    page.reload()  # the idle clock (on the server and in the page) starts from this load
    loaded_at = time.monotonic()

    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    expect(dialog).to_be_hidden()
    expect(dialog).to_be_visible(timeout=7_000)
    appeared_after = time.monotonic() - loaded_at
    assert 2 <= appeared_after <= 5.5, f"warning after {appeared_after:.1f} s, expected about 3 s"
    expect(dialog.locator("[data-timeout-countdown]")).to_have_text(re.compile(r"^[1-5] seconds?$"))
    expect(dialog.locator("[data-timeout-announcement]")).to_contain_text("We will sign you out in")
    assert_accessible(page)

    with page.expect_response(lambda r: r.url.endswith("/account/session/extend/")) as extend:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert extend.value.status == 200
    expect(dialog).to_be_hidden()

    # Wait until the server would certainly have signed the officer out without that click
    # (it counts whole seconds, and signs out only when more than 8 have passed).
    page.wait_for_timeout(max(0.0, 10.0 - (time.monotonic() - loaded_at)) * 1000)
    page.reload()
    expect_children_list(page)
    expect(page).to_have_url(f"{live_server.url}/children/")


def test_lead_officer_sees_access_history(page: Page, live_server, world) -> None:
    # Earlier, a police officer (their agency is involved) looked at the record.
    police_request = RequestFactory().get(world.child.get_absolute_url())
    police_request.user = world.involved
    log_access(
        police_request,
        AccessLog.Action.VIEW,
        child=world.child,
        object_type="child record",
        object_id=world.child.pk,
    )
    confirmed_device(world.lead)

    # The school's lead officer shares the record, then asks who has seen it.
    sign_in(page, live_server, world.lead)
    open_child_from_list(page, "Jamie Testchild")
    share_with_social_care(page, reason="Social care are assessing the risk.")
    expect(page.get_by_role("alert")).to_contain_text("The record has been shared")
    assert_accessible(page)
    page.get_by_role("link", name="Who viewed or changed this record").click()
    expect(heading(page)).to_have_text("Who viewed or changed this record")
    assert_accessible(page)

    views = page.get_by_role("table").filter(
        has=page.get_by_role("columnheader", name="IP address")
    )
    shared = views.get_by_role("row").filter(has_text="Shared")
    expect(shared).to_have_count(1)
    expect(shared).to_contain_text("Leah Lead (Brookfield Academy)")
    expect(shared).to_contain_text("shared with Northdale Children's Social Care")
    police_view = views.get_by_role("row").filter(has_text="Ivan Involved (Northdale Police)")
    expect(police_view).to_have_count(1)
    expect(police_view).to_contain_text("Viewed")
    own_views = views.get_by_role("row").filter(has_text="Leah Lead (Brookfield Academy)")
    # The record twice, the share page (it shows the child's name: logged since issue 7),
    # then this page.
    expect(own_views.filter(has_text="Viewed")).to_have_count(4)

    changes = page.get_by_role("table").filter(
        has=page.get_by_role("columnheader", name="What changed")
    )
    expect(changes.get_by_role("row").filter(has_text="Child's record created")).to_contain_text(
        "Olive Owner (Brookfield Academy)"
    )
    # The school's own involvement, the share with the police, and this share — in plain
    # English (issue 7: "Involvement created" said nothing about who or why).
    expect(changes.get_by_role("row").filter(has_text="involved with the child")).to_have_count(3)


def test_error_summary_link_for_the_date_of_birth_moves_focus_to_the_day_field(
    page: Page, live_server, world
) -> None:
    confirmed_device(world.owner)
    sign_in(page, live_server, world.owner)
    fill_in_a_child_with_mistakes(page, year_of_birth=date.today().year - 20)

    summary = page.locator(".govuk-error-summary")
    summary.get_by_role("link", name=re.compile("The child must be under 18")).click()
    day = page.get_by_role("group", name="Date of birth").get_by_label("Day")
    expect(day).to_be_focused(timeout=1_000)
