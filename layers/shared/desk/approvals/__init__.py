"""People in the loop: one "ask a person" step for every workflow, signed links, staff tasks."""
