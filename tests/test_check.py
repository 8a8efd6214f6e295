"""`timeline check`: the sourcing policy, applied to seed files without a database."""

import textwrap

import pytest
import yaml

from app import cli
from app.ingest.check import check
from tests.conftest import write

GOOD_EVENT = {
    "slug": "2021-05-01-talks",
    "title": "Officials of India and China hold talks",
    "summary": "Officials of India and China met in Chushul.",
    "start_date": "2021-05-01",
    "countries": ["IN", "CN"],
    "topics": ["border"],
    "sources": [
        {"url": "https://example.org/a", "title": "Talks held", "headline": True, "publisher": "Example News"},
        {"url": "https://example.net/b", "title": "Report on the talks", "headline": False, "publisher": "Other"},
    ],
}


def seed_file(tmp_path, **changes):
    event = {**GOOD_EVENT, **changes}
    return write(tmp_path, "events.yaml", yaml.safe_dump({"events": [event]}, sort_keys=False))


def findings(path) -> list[str]:
    return [str(finding) for finding in check([path]).findings]


def test_a_well_sourced_event_has_no_finding(tmp_path):
    assert findings(seed_file(tmp_path)) == []


def only_source(**changes) -> list[dict]:
    return [{**GOOD_EVENT["sources"][0], **changes}, GOOD_EVENT["sources"][1]]


@pytest.mark.parametrize(
    ("sources", "field", "message"),
    [
        (only_source(url="http://example.org/a"), "sources.1", "is http: cite the https address"),
        (only_source(url="https://example.org/a?utm_source=x&id=3"), "sources.1", "tracking parameters (utm_source)"),
        (only_source(url="https://www.larouchepub.com/a"), "sources.1", "larouchepub.com is on the list"),
        (only_source(url="https://test.example.org/a"), "sources.1", "is a staging copy"),
        (only_source(headline=None), "sources.1", "the title is not marked"),
        (only_source(publisher=None), "sources.1", "no publisher"),
        (only_source(url="https://example.net/b"), "sources.2.url", "https://example.net/b is cited twice"),
    ],
)
def test_a_source_against_the_policy_is_an_error_naming_file_event_and_field(tmp_path, sources, field, message):
    path = seed_file(tmp_path, sources=sources)
    (finding,) = check([path]).errors
    assert finding.where == f"{path}: event #1 '2021-05-01-talks'"
    assert finding.field == field
    assert message in finding.message


def test_a_statement_source_is_held_to_the_same_policy(tmp_path):
    said = {"party": "India", "party_country": "IN", "text": "Said so.", "source": only_source(headline=None)[0]}
    china = {**said, "party": "China", "party_country": "CN", "source": GOOD_EVENT["sources"][1]}
    (finding,) = check([seed_file(tmp_path, statements=[said, china])]).errors
    assert finding.field == "statements.1.source"


def test_an_event_ingest_would_refuse_is_an_error(tmp_path):
    (finding,) = check([seed_file(tmp_path, start_date="2021-13")]).errors
    assert (finding.field, finding.message) == ("start_date", "'2021-13' is not a valid date")


def test_a_single_source_is_a_warning(tmp_path):
    report = check([seed_file(tmp_path, sources=GOOD_EVENT["sources"][:1])])
    assert report.errors == []
    assert [(f.field, f.message) for f in report.warnings] == [
        ("sources", "one source only: find a second, independent one")
    ]


def test_a_country_named_in_the_summary_but_not_carried_is_a_warning(tmp_path):
    summary = "Officials of India and China met; Pakistan objected."
    (finding,) = check([seed_file(tmp_path, summary=summary)]).warnings
    assert finding.field == "countries"
    assert "Pakistan (PK)" in finding.message


def test_a_country_the_event_concerns_is_carried(tmp_path):
    summary = "Officials of India and China met; Pakistan objected."
    assert findings(seed_file(tmp_path, summary=summary, concerns=["PK"])) == []


def test_statements_from_one_side_only_are_a_warning(tmp_path):
    said = {"party": "India", "party_country": "IN", "text": "Said so.", "source": GOOD_EVENT["sources"][0]}
    (finding,) = check([seed_file(tmp_path, statements=[said])]).warnings
    assert (finding.field, finding.message) == ("statements", "statements from IN only; none from CN")


def test_the_command_exits_1_on_errors_and_prints_each_finding(tmp_path, capsys):
    path = seed_file(tmp_path, sources=only_source(url="http://example.org/a"))
    assert cli.main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"error: {path}: event #1 '2021-05-01-talks': sources.1: http://example.org/a is http" in out
    assert out.rstrip().endswith("1 error(s), 0 warning(s) in 1 event(s)")


def test_the_command_exits_0_with_warnings_only(tmp_path, capsys):
    assert cli.main(["check", str(seed_file(tmp_path, sources=GOOD_EVENT["sources"][:1]))]) == 0
    assert "0 error(s), 1 warning(s)" in capsys.readouterr().out


def test_a_csv_file_is_checked_by_its_columns(tmp_path):
    csv_text = textwrap.dedent(
        """\
        slug,title,summary,start_date,countries,topics,source_urls,source_titles,source_headlines,source_publishers
        2021-05-01-talks,Talks,Officials met.,2021-05-01,IN;CN,border,http://example.org/a,Talks,headline,Example
        """
    )
    errors = check([write(tmp_path, "events.csv", csv_text)]).errors
    assert [(f.where.split(": ")[1], f.field) for f in errors] == [
        ("line 2 '2021-05-01-talks'", "column source_urls.1")
    ]
