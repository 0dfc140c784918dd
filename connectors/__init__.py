"""Sources and trackers: one small class each, configured through __init__, never touching storage or settings."""
