"""Abandoned-cart reminders and back-in-stock alerts by email: consent, the outbox and its
sender, composing messages, signed links, privacy requests, reports, and their routes and
commands. docs/emails.md describes them for the shop."""
