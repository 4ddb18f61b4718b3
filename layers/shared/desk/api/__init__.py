"""HTTP glue shared by the API functions: one resolver setup, one mapping of errors to responses."""
