"""The caller's calendar feed: an iCalendar address of their assigned tasks that have a due time,
reached without a token (the address is the secret)."""
