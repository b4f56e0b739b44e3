"""Stand-ins for the outside systems, for tests and demos; never imported by the portal."""
