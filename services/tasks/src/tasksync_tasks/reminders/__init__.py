"""Reminders: each person's settings, the reminders armed for the tasks assigned to them, the
worker that fires them (a notification, and a mail asked of the rooms service's mailer)."""
