"""The staff API's areas, each behind the Cognito authorizer and each route behind its gate."""

from __future__ import annotations

from desk.api.staff import account, calendar, letters, requests, tasks, training

AREAS = (account.AREA, requests.AREA, letters.AREA, training.AREA, tasks.AREA, calendar.AREA)
