"""Search matches what people type: word forms (stems) and prefixes, on both backends, in the
reference data and in the shipped India–China dataset."""

import re

import yaml
from sqlmodel import Session

from app.filters import SearchTerm
from app.queries.matches import word_places
from tests.conftest import SEEDS


def slugs(client, query: str) -> list[str]:
    response = client.get(f"/api/events?{query.replace(' ', '+')}&limit=200")
    assert response.status_code == 200
    return [item["slug"] for item in response.json()["items"]]


def test_a_word_finds_its_other_forms(shared_client):
    assert slugs(shared_client, "q=talk") == slugs(shared_client, "q=talks")
    assert len(slugs(shared_client, "q=talk")) >= 3


def test_a_plural_finds_the_singular(shared_client):
    assert slugs(shared_client, "q=clashes") == ["2020-clash"]


def test_a_prefix_finds_longer_words(shared_client):
    assert slugs(shared_client, "q=Wash*") == ["2020-tariff-talks"]
    assert slugs(shared_client, "q=Wash") == []


def test_a_phrase_matches_word_forms_in_order(shared_client):
    assert slugs(shared_client, 'q="border talk"') == slugs(shared_client, 'q="border talks"') != []


def test_the_event_index_counts_a_word_and_its_forms_alike(shared_client, shared_engine):
    with Session(shared_engine) as session:
        counts = {word: len(word_places(session, [SearchTerm(word)])) for word in ("talk", "talks", "talking")}
    assert set(counts.values()) == {len(slugs(shared_client, "q=talks"))}


def test_talk_finds_what_talks_finds_in_the_shipped_data(shipped_data_client):
    talks = slugs(shipped_data_client, "q=talks")
    assert len(talks) > 20
    assert slugs(shipped_data_client, "q=talk") == talks


def test_clash_finds_the_events_that_say_clashes(shipped_data_client):
    clashes = slugs(shipped_data_client, "q=clashes")
    assert clashes
    assert set(clashes) <= set(slugs(shipped_data_client, "q=clash"))


def test_rare_earth_finds_every_event_that_mentions_rare_earths(shipped_data_client):
    mentioning = set()
    for item in yaml.safe_load((SEEDS / "india-china.yaml").read_text(encoding="utf-8"))["events"]:
        text = " ".join([item["title"], item["summary"], *(said["text"] for said in item.get("statements", []))])
        if re.search(r"rare[- ]earths?", text, re.IGNORECASE):
            mentioning.add(item["slug"])
    assert len(mentioning) >= 5
    assert set(slugs(shipped_data_client, "q=rare earth")) == mentioning
    assert set(slugs(shipped_data_client, "q=rare-earths")) == mentioning
