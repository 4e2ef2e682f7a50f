"""Superhost: certified local hosts, coordinators, matching on demand and in rounds, visits."""
