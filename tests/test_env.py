import pytest
from django.core.exceptions import ImproperlyConfigured

from urge.env import Env


def test_it_reads_booleans_strictly() -> None:
    env = Env({"A": "true", "B": "0", "C": " Off "})
    assert env.boolean("A", default=False) is True
    assert env.boolean("B", default=True) is False
    assert env.boolean("C", default=True) is False
    assert env.boolean("MISSING", default=True) is True


@pytest.mark.parametrize("word", ["yes", "no", "y", "enabled", "2"])
def test_it_refuses_a_word_that_is_not_clearly_a_boolean(word: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=f"DEBUG={word!r} is not a boolean"):
        Env({"DEBUG": word}).boolean("DEBUG", default=False)


def test_it_treats_an_empty_value_as_unset() -> None:
    env = Env({"PORT": "", "NAME": "  "})
    assert env.integer("PORT", 8000) == 8000
    assert env.string("NAME", "fallback") == "fallback"
    assert env.optional_string("NAME") is None


def test_it_reads_whole_numbers_within_bounds() -> None:
    assert Env({"PORT": "9000"}).integer("PORT", 8000, minimum=1) == 9000
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        Env({"PORT": "80a"}).integer("PORT", 8000)
    with pytest.raises(ImproperlyConfigured, match="below the minimum of 1"):
        Env({"PORT": "0"}).integer("PORT", 8000, minimum=1)


def test_it_splits_lists_on_commas_and_refuses_empty_items() -> None:
    assert Env({"HOSTS": "a.org, b.org"}).strings("HOSTS", []) == ["a.org", "b.org"]
    assert Env({}).strings("HOSTS", ["x"]) == ["x"]
    with pytest.raises(ImproperlyConfigured, match="empty item"):
        Env({"HOSTS": "a.org,,b.org"}).strings("HOSTS", [])


def test_it_reads_one_of_a_few_words_in_any_case() -> None:
    assert Env({"FORMAT": " JSON "}).choice("FORMAT", ("text", "json"), "text") == "json"
    assert Env({}).choice("FORMAT", ("text", "json"), "text") == "text"
    with pytest.raises(ImproperlyConfigured, match="FORMAT='yaml' is not one of: text, json"):
        Env({"FORMAT": "yaml"}).choice("FORMAT", ("text", "json"), "text")
