"""Signals between layers: a lower app announces, the apps above it act."""

from django.dispatch import Signal

# Sent by `urge rotatekeys --commit` once supporters' keys are re-encrypted under the newest
# site key: every other thing sealed under the site's keys is sealed anew.
keys_rotated = Signal()
