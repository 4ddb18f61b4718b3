"""The desk on one machine: template.yaml translated offline and created in moto, handlers in-process.

Used by the tests and by ``make run``; never imported by ``functions/`` or ``layers/``.
"""
