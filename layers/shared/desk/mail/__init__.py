"""Mail: one module sends, one reads."""
