"""Training requests (issue 12): the request with its letter and participants, the organiser's reply
through the one ask step, 2-working-day sessions with a capacity, the reply letter, reminders and
attendance.

- :mod:`desk.training.rules`: pure rules (session span, seats, who is trained).
- :mod:`desk.training.requests`: ``POST /training-requests``.
- :mod:`desk.training.sessions`: sessions, bookings and attendance in the table.
- :mod:`desk.training.letter`: the reply letter PDF.
- :mod:`desk.training.steps`: the workflow's own tasks and the daily reminder.
"""
