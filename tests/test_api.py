"""The JSON API: event fields, lists with counts, errors as JSON."""


def test_event_carries_every_documented_field(shared_client):
    event = shared_client.get("/api/events/2020-clash").json()
    assert event == {
        "slug": "2020-clash",
        "url": "http://testserver/events/2020-clash",
        "title": "Deadly clash in the valley",
        "summary": "Soldiers died in hand-to-hand fighting at the Line of Actual Control.",
        "start_date": "2020-06-15",
        "date_precision": "day",
        "end_date": None,
        "end_precision": None,
        "location": "Galwan Valley",
        "tone": -2,
        "importance": 1,
        "countries": ["CN", "IN"],
        "concerns": [],
        "topics": ["border"],
        "sources": [
            {
                "url": "https://example.org/2020-a",
                "title": "Clash",
                "headline": None,
                "publisher": "Example News",
                "published_date": "2020-06-16",
            },
            {
                "url": "https://example.org/2020-b",
                "title": "Second account",
                "headline": None,
                "publisher": None,
                "published_date": None,
            },
        ],
        "links": [],
        "linked_from": [],
        "statements": [],
        "revision_count": 0,
        "last_revised": None,
    }


def test_span_keeps_its_end_and_precision(shared_client):
    event = shared_client.get("/api/events/1988-visit").json()
    assert (event["start_date"], event["date_precision"]) == ("1988-12-01", "month")


def test_list_reports_the_applied_filters_and_total(shared_client):
    body = shared_client.get("/api/events?country=in&country=CN&topic=border&from=2017&order=desc").json()
    assert body["filters"] == {
        "country": ["IN", "CN"],
        "topic": ["border"],
        "from": "2017",
        "to": None,
        "q": None,
        "importance": None,
        "order": "desc",
    }
    assert body["total"] == 3
    assert body["next"] is None


def test_unknown_event_is_a_json_404(shared_client):
    response = shared_client.get("/api/events/no-such-event")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no event at /events/no-such-event."}


def test_countries_list_every_country_with_its_event_count(shared_client):
    countries = shared_client.get("/api/countries").json()
    assert countries[:2] == [
        {"code": "CN", "name": "China", "event_count": 10},
        {"code": "IN", "name": "India", "event_count": 9},
    ]
    assert len(countries) == 5


def test_topics_list_every_topic_with_its_event_count(shared_client):
    topics = {t["slug"]: t["event_count"] for t in shared_client.get("/api/topics").json()}
    assert topics == {"border": 5, "trade": 4, "diplomacy": 4, "multilateral": 1}


def test_openapi_documents_the_filter_parameters(shared_client):
    schema = shared_client.get("/openapi.json").json()
    parameters = {p["name"] for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    assert parameters == {"country", "topic", "from", "to", "q", "importance", "order", "after", "limit"}
    assert "EventRead" in schema["components"]["schemas"]
