"""PMR on the virtual Fire TV through the real adb server: post, read back and cancel a recommendation."""

from __future__ import annotations

from firebridge.capabilities.pmr import PMR, Recommendation


def test_pmr_on_the_virtual_fire_tv(start_virtual_device):
    session = start_virtual_device(speed=20)
    pmr = PMR(session.firetv())
    rec = Recommendation(title="Night Harbor", text="Resume", id=41, display_name="Reference TV Extra", rank=2,
                         action_options=[2], tags=["UHD"], launch_package="com.firebridge.reference")
    assert pmr.helper_installed()  # the virtual Fire TV boots with com.firebridge.helper, as a prepared lab TV
    assert pmr.post(rec).ok
    [posted] = [r for r in pmr.active() if r.id == 41]
    back = Recommendation.from_notification(posted)
    assert (back.title, back.display_name, back.rank, back.action_options, back.tags) == (
        "Night Harbor", "Reference TV Extra", 2, (2,), ("UHD",))
    assert pmr.cancel(41).ok
    assert not [r for r in pmr.active() if r.id == 41]
