"""A model field whose value is stored sealed under its row's data key: read and written,
never searched."""

from __future__ import annotations

from typing import Any

from django.db import models

from urge.supporters import datakeys


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text sealed under the data key its model instance names (`data_key_name()`).

    Sealing happens in pre_save, the one step that sees the instance, on save() and
    bulk_create() alike; a queryset update() may only blank the field.
    """

    description = "Text encrypted at rest"

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if value is None or value == "":
            return value
        return datakeys.seal(model_instance, str(value))

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "" or datakeys.sealed_under(value):
            return value
        raise TypeError(
            f"{self.name} is written through its row's save() (it is sealed under the row's "
            "data key); update() can only blank it."
        )

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return datakeys.unseal(value)

    def get_lookup(self, lookup_name: str) -> Any:
        # Ciphertexts differ for equal values: a lookup would silently match nothing.
        if lookup_name not in ("isnull",):
            raise TypeError(f"An encrypted field cannot be searched ({lookup_name}); use a hash.")
        return super().get_lookup(lookup_name)
