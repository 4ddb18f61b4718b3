"""Requests: the one model every door creates, with its append-only event log and SLA clock."""
