"""Settings read from the environment: the event streams' heartbeat (seconds, a positive number)."""

import pytest

from tasksync_common import config


def test_the_heartbeat_is_15_seconds_unless_set():
    assert config.load({}).events_heartbeat == 15.0
    assert config.load({"TASKSYNC_EVENTS_HEARTBEAT": "2.5"}).events_heartbeat == 2.5


@pytest.mark.parametrize("raw", ["soon", "0", "-1", "3600", "nan"])
def test_a_heartbeat_that_is_no_positive_number_of_seconds_stops_the_start_naming_it(raw):
    with pytest.raises(SystemExit, match="TASKSYNC_EVENTS_HEARTBEAT"):
        config.load({"TASKSYNC_EVENTS_HEARTBEAT": raw})
