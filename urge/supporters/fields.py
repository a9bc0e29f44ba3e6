"""A model field whose value is stored encrypted; it can be read and written, never searched."""

from __future__ import annotations

from typing import Any

from django.db import models

from urge.supporters.crypto import decrypt, encrypt


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    description = "Text encrypted at rest"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_lookup(self, lookup_name: str) -> Any:
        # Ciphertexts differ for equal values: a lookup would silently match nothing.
        if lookup_name not in ("isnull",):
            raise TypeError(f"An encrypted field cannot be searched ({lookup_name}); use a hash.")
        return super().get_lookup(lookup_name)
