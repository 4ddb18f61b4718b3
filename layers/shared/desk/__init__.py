"""The e-Purchasing service desk: rules, adapters and use cases shared by every function."""
