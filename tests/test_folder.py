"""Reading a campaign folder: the example is clean, and every mistake is named."""

from pathlib import Path

import pytest

from tests.conftest import EXAMPLE
from urge.campaigns.checks import FolderError
from urge.campaigns.folder import read_campaign_folder


def problems_in(folder: Path) -> list[str]:
    with pytest.raises(FolderError) as caught:
        read_campaign_folder(folder)
    return [str(problem) for problem in caught.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_it_reads_the_example_campaign_in_both_languages() -> None:
    spec = read_campaign_folder(EXAMPLE)
    assert spec.slug == "hketo"
    assert spec.default is True
    assert spec.languages == ["en", "zh-hant"]
    assert [len(step.title) for step in spec.steps] == [2, 2, 2, 2]
    assert [cohost.slug for cohost in spec.cohosts] == [
        "dc4hk",
        "fight-for-freedom",
        "hkdc",
        "cfhk",
    ]
    assert [section.key for section in spec.sections] == ["bill", "offices", "problem"]
    assert all(section.title["zh-hant"] and section.body["zh-hant"] for section in spec.sections)
    assert spec.bill.url.startswith("https://www.congress.gov/bill/")


def test_it_names_a_missing_field(campaign_folder: Path) -> None:
    edit(campaign_folder / "campaign.yaml", "slug: hketo\n", "")
    assert problems_in(campaign_folder) == [f"{campaign_folder}/campaign.yaml: slug: missing field"]


def test_it_names_an_unknown_language(campaign_folder: Path) -> None:
    edit(
        campaign_folder / "campaign.yaml",
        "languages: [en, zh-Hant]",
        "languages: [en, zh-Hant, fr]",
    )
    assert problems_in(campaign_folder) == [
        f"{campaign_folder}/campaign.yaml: languages[2]: unknown language 'fr'; "
        "known languages: en, zh-Hant"
    ]


def test_it_names_a_text_missing_in_one_language(campaign_folder: Path) -> None:
    yaml = campaign_folder / "campaign.yaml"
    text = yaml.read_text(encoding="utf-8")
    start = text.index("  zh-Hant:", text.index("title:"))
    end = text.index("\n", start) + 1
    yaml.write_text(text[:start] + text[end:], encoding="utf-8")
    assert problems_in(campaign_folder) == [f"{yaml}: title: missing the zh-Hant text"]


def test_it_names_a_bad_url(campaign_folder: Path) -> None:
    edit(
        campaign_folder / "campaign.yaml", "url: https://www.hkdc.us/", "url: hhttps://www.hkdc.us/"
    )
    [problem] = problems_in(campaign_folder)
    assert problem.startswith(f"{campaign_folder}/campaign.yaml: cohosts[2].url: ")
    assert "'hhttps://www.hkdc.us/' is not a valid URL" in problem


def test_it_names_a_broken_markdown_link_with_its_file_and_line(campaign_folder: Path) -> None:
    bill = campaign_folder / "en" / "bill.md"
    bill.write_text("# The bill\n\nFirst.\n\nRead [the text](https://www.congress.gov\n")
    assert problems_in(campaign_folder) == [
        f"{bill}: line 5: broken link '[the text]('... "
        "(check the brackets, and that the address follows in parentheses)"
    ]


def test_it_names_a_missing_translation_file_and_a_missing_title(campaign_folder: Path) -> None:
    (campaign_folder / "zh-Hant" / "offices.md").unlink()
    (campaign_folder / "en" / "problem.md").write_text("No heading here.\n")
    assert problems_in(campaign_folder) == [
        f"{campaign_folder}/zh-Hant/offices.md: missing (the section is listed in campaign.yaml)",
        f"{campaign_folder}/en/problem.md: line 1: must start with the section title as `# Title`",
    ]


def test_it_names_files_that_nothing_uses(campaign_folder: Path) -> None:
    (campaign_folder / "en" / "draft.md").write_text("# Draft\n\nNot yet.\n")
    (campaign_folder / "fr").mkdir()
    assert problems_in(campaign_folder) == [
        f"{campaign_folder}/en/draft.md: is not listed under `sections` in campaign.yaml",
        f"{campaign_folder}/fr: unknown language folder; known languages: en, zh-Hant",
    ]


def test_it_reports_every_problem_at_once(campaign_folder: Path) -> None:
    yaml = campaign_folder / "campaign.yaml"
    edit(yaml, "opens: 2026-11-21", "opens: someday")
    edit(yaml, "congress: 119", "congress: many")
    edit(yaml, "slug: hkdc", "slug: dc4hk")
    edit(yaml, "default: true", "default: yes please")
    problems = problems_in(campaign_folder)
    assert problems == [
        f"{yaml}: opens: 'someday' is not a date (write it as YYYY-MM-DD)",
        f"{yaml}: default: must be true or false, not 'yes please'",
        f"{yaml}: bill.congress: must be a positive whole number, not 'many'",
        f"{yaml}: cohosts[2].slug: 'dc4hk' is used by another co-host",
    ]


def test_it_names_an_unknown_field(campaign_folder: Path) -> None:
    edit(campaign_folder / "campaign.yaml", "slug: hketo\n", "slug: hketo\ncolour: red\n")
    assert problems_in(campaign_folder) == [
        f"{campaign_folder}/campaign.yaml: colour: unknown field"
    ]


def test_it_explains_yaml_that_does_not_parse(campaign_folder: Path) -> None:
    (campaign_folder / "campaign.yaml").write_text("slug: hketo\ntitle: [unclosed\n")
    [problem] = problems_in(campaign_folder)
    assert problem.startswith(f"{campaign_folder}/campaign.yaml: line ")
    assert "is not valid YAML" in problem


def test_it_says_when_the_folder_is_not_a_campaign(tmp_path: Path) -> None:
    assert problems_in(tmp_path) == [
        f"{tmp_path}/campaign.yaml: missing (every campaign folder needs one)"
    ]
    assert problems_in(tmp_path / "nowhere") == [f"{tmp_path}/nowhere: is not a folder"]
