"""ZoneOS: the operating platform of a high-tech zone's management committee."""
