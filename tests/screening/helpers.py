from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.urls import reverse

from screening.models import Answer, CatalogueVersion, Screening


def form_data(
    catalogue: CatalogueVersion,
    *,
    default: str = Answer.NOT_PRESENT,
    answers: dict[str, str] | None = None,
    notes: dict[str, str] | None = None,
    version: int | None = None,
    button: str = "save_draft",
) -> dict[str, Any]:
    """POST data of the answers form: `default` for every indicator but those in `answers`
    (by indicator code); "" leaves an indicator unanswered."""
    answers = answers or {}
    notes = notes or {}
    data: dict[str, Any] = {button: ""}
    for indicator in catalogue.indicators.all():
        value = answers.get(indicator.code, default)
        if value:
            data[f"answer_{indicator.form_key}"] = value
        data[f"note_{indicator.form_key}"] = notes.get(indicator.code, "")
    if version is not None:
        data["version"] = version
    return data


def section_data(
    screening: Screening,
    code: str,
    *,
    default: str = Answer.NOT_PRESENT,
    answers: dict[str, str] | None = None,
    button: str = "continue",
) -> dict[str, Any]:
    """POST data of one heading's page (heading `code`, e.g. "A1"), as a browser sends it."""
    answers = answers or {}
    data: dict[str, Any] = {button: "", "section": code.lower(), "version": screening.version}
    for indicator in screening.catalogue.indicators.filter(heading__code=code):
        value = answers.get(indicator.code, default)
        if value:
            data[f"answer_{indicator.form_key}"] = value
        data[f"note_{indicator.form_key}"] = ""
    return data


def url(name: str, screening: Screening) -> str:
    return reverse(f"screening:{name}", kwargs={"child_pk": screening.child_id, "pk": screening.pk})


def section_url(screening: Screening, slug: str) -> str:
    return f"{url('edit', screening)}?section={slug}"


def at_once(task: Callable[[int], Any], count: int) -> list[Any]:
    """Run `task(i)` in `count` threads released together (each thread has its own database
    connection, as two requests would); the results, or the exceptions raised, in order."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = task(i)
        except Exception as error:
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
