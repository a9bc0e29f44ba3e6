"""Signals between layers: a lower app announces, the apps above it act."""

from django.dispatch import Signal

# Sent by `urge rotatekeys --commit` once supporters' keys are re-encrypted under the newest
# site key: every other thing sealed under the site's keys is sealed anew.
keys_rotated = Signal()

# Sent by every model admin (urge/core/adminlog.py) for each addition, change or deletion made
# in the admin, deletions of many rows at once too: `user`, `action` ("added", "changed",
# "deleted") and `objects`. The dashboard writes each to its audit log.
admin_changed = Signal()
