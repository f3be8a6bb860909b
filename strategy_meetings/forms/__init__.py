"""Forms of strategy meetings, one module per subject. They convert input; the rules are the
services'."""
