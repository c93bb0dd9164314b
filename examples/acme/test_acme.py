"""First tests for a new app ("Acme Video", examples/acme/acme.yaml): see docs/writing-tests.md.

Run them against the virtual Fire TV (no hardware needed)::

    pytest examples/acme --app examples/acme/acme.yaml --device virtual

or against your Fire TV with ``--device SERIAL`` (and your app's profile).
"""

import pytest


@pytest.fixture
def movie(app_profile):
    """The first movie of the app profile's catalog (a CatalogEntry: id, title, duration_ms...)."""
    return app_profile.movies[0]


def test_the_detail_page_shows_the_title(app, movie, firetv):
    app.run("detail_page", content_id=movie.id)  # the profile's recipe: deep link, then wait for the page
    shown = firetv.driver.ui_tree().find(resource_id="detail_title")
    assert shown is not None and shown.text == movie.title, (
        f"the detail page of {movie.id} must show its catalog title {movie.title!r}; "
        f"the screen shows {firetv.driver.ui_tree().labels()}")


def test_the_trailer_starts_from_the_detail_page(app, movie):
    app.run("trailer", content_id=movie.id)  # fails, with the step and the screen, if the trailer never starts


def test_the_app_starts_in_front(app, app_profile, firetv):
    from firebridge.waiting import wait_until

    app.launch()  # the profile's launch activity
    wait_until(lambda: app_profile.package in firetv.driver.ui_tree().packages, timeout=15,
               what=f"{app_profile.label} ({app_profile.package}) in front after its launch")
