"""Session 26: a span of dates in a question ("du 01 juin au 30 septembre 2014") is how long what is decided lasts, not
the month of an event the passages must write (the s22 store's 2014-05-22-0000072125.pdf cuts the year at its line's
end: "du 01 juin au 30 septembre 201")."""

from __future__ import annotations

from rag.scope import Facets, parse_scope

FACETS = Facets(communes={"montpellier": "Montpellier"}, dates={"2014-05-22", "2014-04-24"})


def test_a_span_of_dates_names_no_event_month() -> None:
    scope = parse_scope("Combien d'emplois saisonniers sont créés du 01 juin au 30 septembre 2014 ?", FACETS)
    assert scope.years == (2014,) and not scope.missing_period
    assert scope.event_month == ""
    # a single date of what the question is about still names its month
    assert parse_scope("Combien coûte la Convention des Avocats d'octobre 2014 ?", FACETS).event_month == "2014-10"
