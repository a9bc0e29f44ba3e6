"""Staff passwords: long, and not guessable from the lists attackers start with.

zxcvbn (Dropbox's estimator, ported to Python) ships offline the frequency lists of leaked
passwords, common names and words, and sees through the usual disguises of them: keyboard
runs, dates, repeats and l33t substitutions (`Passw0rd!` is "password" to it). A password
must reach its score 3 ("safely unguessable: moderate protection from offline attacks").
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn

MINIMUM_SCORE = 3
# zxcvbn takes the first 72 characters: enough, and it keeps its time bounded.
CHECKED_LENGTH = 72


class GuessablePasswordValidator:
    def validate(self, password: str, user: Any = None) -> None:
        hints = [str(getattr(user, name, "") or "") for name in ("username", "email")]
        result = zxcvbn(password[:CHECKED_LENGTH], user_inputs=[h for h in hints if h])
        if result["score"] < MINIMUM_SCORE:
            raise ValidationError(
                _(
                    "This password is too easy to guess: it is, or is close to, a password "
                    "or word on the lists attackers try first. Try a few unrelated words."
                ),
                code="password_guessable",
            )

    def get_help_text(self) -> str:
        return _("Not a known or easily guessed password: a few unrelated words work well.")
