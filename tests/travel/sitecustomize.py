"""Moves every Python process of a test run by SLOTBOOK_TEST_CLOCK_OFFSET seconds, when it is
set: the test runner, and the servers and commands the tests start, since each of them imports
this module at start-up when this folder is on PYTHONPATH (`tests/on_dates.py`).

An offset rather than a moment, so that processes started at different times agree on the
time, as they would on a machine whose clock was set. time-machine changes what `time.time()`
and `datetime.now()` say, and the clock then runs on from there; the monotonic clock that
timeouts and sleeps use is left alone.
"""

from __future__ import annotations

import os
import time

_offset = os.environ.get("SLOTBOOK_TEST_CLOCK_OFFSET")
if _offset:
    import time_machine

    time_machine.travel(time.time() + float(_offset), tick=True).start()
