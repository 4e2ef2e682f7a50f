"""Nordhub: employers, their staff and relocation cases."""
