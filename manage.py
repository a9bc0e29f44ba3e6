#!/usr/bin/env python
"""Django's manage.py, kept for habit; `urge` is the same command line."""

from urge.cli import main

if __name__ == "__main__":
    main()
