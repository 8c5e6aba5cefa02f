"""Official documents rendered to PDF."""
