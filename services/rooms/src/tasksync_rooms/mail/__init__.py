"""The mailer: every mail TaskSync sends leaves from the rooms service's outbox (see sender)."""
