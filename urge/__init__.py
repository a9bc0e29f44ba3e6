"""Urge: a self-hostable platform for contact-your-legislators campaigns."""
