"""What the calendar routes give."""

from apiflask import Schema
from apiflask.fields import String

from tasksync_common.fields import Timestamp


class CalendarFeedOut(Schema):
    url = String(
        required=True,
        allow_none=True,
        metadata={
            "description": "The feed's address (`{public URL}/api/v1/calendar/{secret}.ics`), given only when it "
            "is made: only a digest of its secret is kept, so reading the feed later gives `null`."
        },
    )
    created_at = Timestamp(required=True)
