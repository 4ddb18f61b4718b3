"""Incoming letters: the Secretary registers the stamped letter, then the disposition and signing chain
runs in Step Functions (statemachines/letter.asl.json) with one "ask a person" step per hop.

- :mod:`desk.letters.rules`: the chain's pure rules (numbers' formats, which step a letter is at, texts);
- :mod:`desk.letters.numbers`: the nomor agenda and the outgoing letter numbers (yearly sequences);
- :mod:`desk.letters.registration`: ``POST /staff/letters``;
- :mod:`desk.letters.workflow`: the workflow's own Lambda tasks.
"""
