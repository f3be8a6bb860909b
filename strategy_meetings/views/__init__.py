"""Pages of strategy meetings, one module per subject."""
