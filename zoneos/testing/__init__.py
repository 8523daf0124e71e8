"""Test support shared by every module: factories and a small named world of areas and users."""
