"""Urge's core keeps no data of its own: rate-limit counts live in memory or in Redis."""
