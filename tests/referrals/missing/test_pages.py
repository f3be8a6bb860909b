"""The missing-episode pages (G33): recording an episode, the return and the return interview,
the child's record section, the list; bad input answered with the GOV.UK error summary and the
rest of the form kept; every page logged; the language prompt on every free text (G38)."""

from __future__ import annotations

import html
import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cse_portal.models import AccessLog
from referrals.models import EpisodeStatus, MissingEpisode
from referrals.services import missing as services
from tests.factories import make_child
from tests.referrals.missing.factories import ago, closed, record, record_return
from tests.referrals.pages import hidden

pytestmark = pytest.mark.guidance("G33")


def text(response) -> str:
    """The page's words, without its tags."""
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return html.unescape(re.sub(r"\s+", " ", words))


def url(name: str, episode: MissingEpisode) -> str:
    return reverse(f"referrals:{name}", kwargs={"child_pk": episode.child_id, "pk": episode.pk})


def record_url(child) -> str:
    return reverse("referrals:missing_record", kwargs={"child_pk": child.pk})


def _when(prefix: str, at) -> dict[str, str]:
    local = timezone.localtime(at)
    return {
        f"{prefix}_0": str(local.day),
        f"{prefix}_1": str(local.month),
        f"{prefix}_2": str(local.year),
    }


def _report(world, at=None, **extra) -> dict[str, str]:
    at = at or ago(hours=5)
    return {
        **_when("reported_missing_at", at),
        "reported_missing_time": timezone.localtime(at).strftime("%H:%M"),
        "reported_by_officer": "",
        "reported_by_agency": str(world.police.pk),
        "reported_by_name": "Residential care home manager",
        "circumstances": "Did not come back from school.",
        **extra,
    }


def _errors(response) -> list[str]:
    page = response.content.decode()
    summary = page[page.index("govuk-error-summary") :]
    summary = summary[: summary.index("</ul>")]
    return [html.unescape(m) for m in re.findall(r'<a href="#[^"]+">([^<]+)</a>', summary)]


def _logged(world, officer, object_type: str) -> list[AccessLog]:
    return list(
        AccessLog.objects.filter(officer=officer, child=world.child, object_type=object_type)
    )


def test_an_involved_agency_records_a_missing_episode_and_it_shows_on_the_record(
    involved_client, owner_client, world
):
    form = involved_client.get(record_url(world.child))
    assert form.status_code == 200
    assert [r.object_id for r in _logged(world, world.involved, "missing episode (record)")] == [
        str(world.child.pk)
    ]
    at = ago(hours=5)
    data = _report(world, at, creation_key=hidden(form, "creation_key"))
    response = involved_client.post(record_url(world.child), data)
    episode = MissingEpisode.objects.get(child=world.child)
    assert response.status_code == 302
    assert response["Location"] == episode.get_absolute_url()
    assert (episode.recorded_by, episode.recording_agency) == (world.involved, world.police)
    assert episode.reported_missing_at == at
    assert episode.status == EpisodeStatus.MISSING
    # Every involved agency sees it on the child's record, as still missing.
    record_page = text(owner_client.get(world.child.get_absolute_url()))
    assert "Missing episodes" in record_page
    assert "1 missing episode in the last 90 days." in record_page
    assert "Still missing" in record_page
    assert "Missing now" in record_page
    assert "Record a missing episode" in record_page


def test_the_same_form_sent_twice_records_one_episode(involved_client, world):
    form = involved_client.get(record_url(world.child))
    data = _report(world, creation_key=hidden(form, "creation_key"))
    first = involved_client.post(record_url(world.child), data)
    second = involved_client.post(record_url(world.child), data)
    assert first["Location"] == second["Location"]
    assert MissingEpisode.objects.filter(child=world.child).count() == 1


def test_bad_input_lists_every_problem_and_keeps_the_rest_of_the_form(involved_client, world):
    future = timezone.now() + timedelta(days=2)
    response = involved_client.post(
        record_url(world.child),
        _report(
            world,
            future,
            reported_by_agency="",
            reported_by_name="",
            circumstances="Last seen at the bus station.",
        ),
    )
    assert response.status_code == 200
    assert _errors(response) == [
        "The date and time the child was reported missing must be in the past",
        "Select who reported the child missing, or enter their name or role",
    ]
    assert "Error: Record a missing episode" in text(response)
    assert "Last seen at the bus station." in text(response)
    assert not MissingEpisode.objects.exists()


@pytest.mark.parametrize(
    ("time", "message"),
    [
        ("", "Enter the time reported missing, for example 21:30"),
        ("24:00", "Enter a real time using the 24-hour clock, for example 21:30 (for 9:30pm)"),
        ("9pm", "Enter a real time using the 24-hour clock, for example 21:30 (for 9:30pm)"),
        (
            "99999999999999999999",
            "Enter a real time using the 24-hour clock, for example 21:30 (for 9:30pm)",
        ),
    ],
)
def test_a_time_that_is_not_a_time_gets_one_clear_message(involved_client, world, time, message):
    response = involved_client.post(
        record_url(world.child), _report(world, reported_missing_time=time)
    )
    assert response.status_code == 200
    assert _errors(response) == [message]


@pytest.mark.parametrize("time", ["21:30", "21.30", "2130", " 9:05 "])
def test_the_24_hour_clock_is_read_as_people_type_it(involved_client, world, time):
    yesterday = ago(days=1)
    response = involved_client.post(
        record_url(world.child), _report(world, yesterday, reported_missing_time=time)
    )
    assert response.status_code == 302
    episode = MissingEpisode.objects.get()
    hours, minutes = (21, 30) if time.strip() != "9:05" else (9, 5)
    local = timezone.localtime(episode.reported_missing_at)
    assert (local.date(), local.hour, local.minute) == (
        timezone.localtime(yesterday).date(),
        hours,
        minutes,
    )


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (("31", "2", "2026"), "Enter a real date reported missing, for example 27 3 2012"),
        (("", "", ""), "Enter the date reported missing"),
        (("1", "", "2026"), "The date reported missing must include a month"),
        (
            ("1", "1", "99999999999999999999"),
            "Enter a real date reported missing, for example 27 3 2012",
        ),
    ],
)
def test_a_date_that_is_not_a_date_gets_the_gov_uk_message(involved_client, world, day, message):
    data = _report(world)
    data.update(
        dict(
            zip(
                ("reported_missing_at_0", "reported_missing_at_1", "reported_missing_at_2"),
                day,
                strict=True,
            )
        )
    )
    response = involved_client.post(record_url(world.child), data)
    assert response.status_code == 200
    assert _errors(response) == [message]


def test_an_officer_of_another_agency_must_match_the_agency_chosen(involved_client, world):
    response = involved_client.post(
        record_url(world.child),
        _report(
            world, reported_by_officer=str(world.owner.pk), reported_by_agency=str(world.police.pk)
        ),
    )
    assert _errors(response) == [
        "Olive Owner works for Brookfield Academy: select that agency, or leave the agency "
        "unselected"
    ]


def test_an_officer_not_offered_is_refused(involved_client, world):
    response = involved_client.post(
        record_url(world.child), _report(world, reported_by_officer=str(world.uninvolved.pk))
    )
    assert _errors(response) == ["Select an officer from the list"]


@pytest.mark.guidance("G38")
def test_the_language_prompt_reads_every_free_text_after_the_save(involved_client, world):
    response = involved_client.post(
        record_url(world.child),
        _report(world, circumstances="She went off with her boyfriend, aged 24."),
        follow=True,
    )
    page = text(response)
    assert "Your answers have been saved. Please check the wording" in page
    assert "In “Circumstances”:" in page
    episode = MissingEpisode.objects.get()
    response = involved_client.post(
        url("missing_return", episode),
        {
            **_when("returned_at", ago(hours=1)),
            "returned_time": timezone.localtime(ago(hours=1)).strftime("%H:%M"),
            "found_location": "A flat; she said she was streetwise enough to be fine.",
            "found_by": "",
            "version": str(episode.version),
        },
        follow=True,
    )
    assert "In “Where was the child found?”:" in text(response)


def _return_data(episode, at=None, **extra) -> dict[str, str]:
    at = at or ago(hours=1)
    return {
        **_when("returned_at", at),
        "returned_time": timezone.localtime(at).strftime("%H:%M"),
        "found_location": "Bus station, Northdale",
        "found_by": "Found by police",
        "version": str(episode.version),
        **extra,
    }


def test_the_return_is_recorded_and_the_interview_falls_due_in_72_hours(
    involved_client, owner_client, world
):
    episode = record(world.child, world.owner, reported=ago(days=1))
    page = involved_client.get(url("missing_return", episode))
    assert page.status_code == 200
    assert _logged(world, world.involved, "missing episode (record the return)")[
        0
    ].object_id == str(episode.pk)
    returned = ago(hours=2)
    response = involved_client.post(url("missing_return", episode), _return_data(episode, returned))
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.RETURNED
    assert episode.return_interview_due == returned + timedelta(hours=72)
    assert episode.return_recorded_by == world.involved
    detail = text(owner_client.get(episode.get_absolute_url()))
    assert "Bus station, Northdale" in detail
    assert "Record the return interview" in detail
    assert "To do" in detail
    assert "Overdue" not in detail
    # The return page now sends the reader back to the episode.
    again = involved_client.get(url("missing_return", episode))
    assert again.status_code == 302


def test_a_return_before_the_report_is_refused_with_the_reason(involved_client, world):
    episode = record(world.child, world.owner, reported=ago(hours=3))
    response = involved_client.post(
        url("missing_return", episode), _return_data(episode, ago(hours=5), found_location="")
    )
    errors = _errors(response)
    assert errors[0].startswith(
        "The date and time the child was found or returned must be after they were reported missing"
    )
    assert errors[1] == "Enter where the child was found, or where they returned to"


def test_a_stale_return_is_refused_and_the_writers_text_kept(involved_client, owner_client, world):
    episode = record(world.child, world.owner, reported=ago(days=1))
    mine = _return_data(episode, found_location="Outside the shops on Tanner Street")
    owner_client.post(url("missing_return", episode), _return_data(episode))
    response = involved_client.post(url("missing_return", episode), mine)
    assert response.status_code == 200
    page = text(response)
    assert "Someone else recorded the return of this child while you were writing it." in page
    assert "Outside the shops on Tanner Street" in page
    episode.refresh_from_db()
    assert episode.found_location == "Bus station, Northdale"


def test_the_return_sent_twice_is_recorded_once(involved_client, world):
    episode = record(world.child, world.owner, reported=ago(days=1))
    data = _return_data(episode)
    assert involved_client.post(url("missing_return", episode), data).status_code == 302
    assert involved_client.post(url("missing_return", episode), data).status_code == 302
    assert MissingEpisode.objects.get().version == episode.version + 1


def _interview_data(episode, at=None, **extra) -> dict[str, str]:
    at = at or ago(minutes=30)
    return {
        "outcome": "held",
        **_when("interview_at", at),
        "interview_time": timezone.localtime(at).strftime("%H:%M"),
        "interview_by_officer": "",
        "interview_by_name": "Sam Price, independent return interviewer",
        "summary": "Stayed at a flat with older young people; will meet her mentor weekly.",
        "version": str(episode.version),
        **extra,
    }


def test_the_return_interview_is_recorded_and_the_episode_is_final(
    involved_client, owner_client, world
):
    episode = record_return(record(world.child, world.owner, reported=ago(days=2)), world.owner)
    page = involved_client.get(url("missing_interview", episode))
    assert page.status_code == 200
    response = involved_client.post(
        url("missing_interview", episode),
        _interview_data(episode, interview_by_officer=str(world.owner.pk), interview_by_name=""),
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.CLOSED
    assert (episode.interview_by_officer, episode.interview_recorded_by) == (
        world.owner,
        world.involved,
    )
    detail = text(owner_client.get(episode.get_absolute_url()))
    assert "this episode is final and cannot be changed" in detail
    assert "Held " in detail and "by Olive Owner (Brookfield Academy)" in detail
    assert "Record the return interview" not in detail
    assert involved_client.get(url("missing_interview", episode)).status_code == 302


def test_the_interview_form_lists_every_problem(involved_client, world):
    episode = record_return(record(world.child, world.owner, reported=ago(days=2)), world.owner)
    response = involved_client.post(
        url("missing_interview", episode),
        _interview_data(episode, outcome="", interview_by_name="", summary=""),
    )
    assert _errors(response) == [
        "Select whether the return interview was held or declined",
        "Select who did the return interview, or enter the name of the independent person",
        "Enter a summary of the return interview",
    ]


def test_the_interview_waits_for_the_return(involved_client, world):
    episode = record(world.child, world.owner)
    response = involved_client.get(url("missing_interview", episode), follow=True)
    assert "Record the child's return first." in text(response)


def test_an_overdue_interview_is_tagged_on_the_record_and_the_episode(owner_client, world):
    episode = record_return(
        record(world.child, world.owner, reported=ago(days=6)),
        world.owner,
        returned=ago(days=5),
    )
    for page in (world.child.get_absolute_url(), episode.get_absolute_url()):
        assert "Overdue" in text(owner_client.get(page))


def test_the_record_shows_the_last_90_days_and_links_to_all(owner_client, world):
    closed(
        world.child,
        world.owner,
        reported=ago(days=200),
        returned=ago(days=199),
        interview=ago(days=198),
    )
    recent = closed(world.child, world.owner, reported=ago(days=10), returned=ago(days=9))
    page = text(owner_client.get(world.child.get_absolute_url()))
    assert "1 missing episode in the last 90 days." in page
    assert timezone.localtime(recent.reported_missing_at).strftime("%-d %b %Y") in page
    assert "Missing for 1 day Where found" in page
    listing = owner_client.get(
        reverse("referrals:missing_list", kwargs={"child_pk": world.child.pk})
    )
    listed = text(listing)
    assert "2 missing episodes recorded, 1 in the last 90 days." in listed
    assert [r.action for r in _logged(world, world.owner, "missing episodes")] == ["list"]


def test_an_episode_of_another_child_is_not_found(involved_client, world):
    other = make_child(by=world.involved, first_name="Other")
    episode = record(other, world.involved)
    wrong = reverse(
        "referrals:missing_detail", kwargs={"child_pk": world.child.pk, "pk": episode.pk}
    )
    assert involved_client.get(wrong).status_code == 404


def test_every_page_of_an_episode_is_logged_with_its_id(involved_client, world):
    episode = record(world.child, world.owner)
    involved_client.get(episode.get_absolute_url())
    involved_client.get(url("missing_addendum", episode))
    logged = {
        (r.object_type, r.object_id)
        for r in AccessLog.objects.filter(officer=world.involved, child=world.child)
    }
    assert {
        ("missing episode", str(episode.pk)),
        ("missing episode (addendum)", str(episode.pk)),
    } <= logged


@pytest.mark.guidance("G37")
def test_an_addendum_is_attributed_and_shown_beside_the_final_record(
    involved_client, owner_client, world
):
    episode = closed(world.child, world.owner)
    form = involved_client.get(url("missing_addendum", episode))
    data = {
        "text": "The time reported was 21:40, not 21:30.",
        "creation_key": hidden(form, "creation_key"),
    }
    assert involved_client.post(url("missing_addendum", episode), data).status_code == 302
    assert involved_client.post(url("missing_addendum", episode), data).status_code == 302
    assert episode.addenda.count() == 1
    detail = text(owner_client.get(episode.get_absolute_url()))
    assert "The time reported was 21:40, not 21:30." in detail
    assert "by Ivan Involved (Northdale Police)" in detail
    empty = involved_client.post(
        url("missing_addendum", episode), {"text": " ", "creation_key": ""}
    )
    assert _errors(empty) == ["Enter the correction or the information to add"]


@pytest.mark.guidance("G37")
def test_the_access_history_tells_of_each_stage_and_of_the_pages_seen(
    involved_client, lead_client, world
):
    episode = closed(world.child, world.owner)
    services.missing_episode_add_addendum(
        episode=episode, by=world.involved, text="Correction.", creation_key=None
    )
    involved_client.get(episode.get_absolute_url())
    involved_client.get(reverse("referrals:missing_list", kwargs={"child_pk": world.child.pk}))
    page = text(lead_client.get(reverse("children:audit", kwargs={"child_pk": world.child.pk})))
    for what in (
        "Missing episode recorded",
        "Return recorded",
        "Return interview recorded",
        "Addendum added",
    ):
        assert what in page
    # The views of the episode's pages are told too: each is the lead's to open.
    assert "Ivan Involved (Northdale Police) Viewed missing episode " in page
    assert "Ivan Involved (Northdale Police) Listed missing episodes: page 1" in page


@pytest.mark.guidance("G38")
def test_the_interview_and_an_addendum_are_read_by_the_language_prompt(involved_client, world):
    episode = record_return(record(world.child, world.owner, reported=ago(days=2)), world.owner)
    response = involved_client.post(
        url("missing_interview", episode),
        _interview_data(episode, summary="She said it was consensual; he is her boyfriend."),
        follow=True,
    )
    assert "In “Summary of the return interview”:" in text(response)
    response = involved_client.post(
        url("missing_addendum", episode),
        {"text": "She was with a punter.", "creation_key": str(uuid.uuid4())},
        follow=True,
    )
    assert "In “Addendum”:" in text(response)
