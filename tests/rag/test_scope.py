"""The scope a question names (rag.scope): parsed against what the store holds, and applied by the chain on
the real demo store (Preuilly-sur-Claise 2020-07-23, Couthenans 2021-06-04 / 2022-01-21 / 2022-10-07,
Montpellier 2014-04-24, and the CGCT)."""

from __future__ import annotations

import dataclasses

import pytest

from rag import schema
from rag.scope import Facets, is_grouping, missing_notice, parse_scope

FACETS = Facets(
    communes={"preuilly-sur-claise": "Preuilly-sur-Claise", "couthenans": "Couthenans"},
    dates={"2020-07-23", "2022-10-07"},
    commune_dates={"preuilly-sur-claise": {"2020-07-23"}, "couthenans": {"2022-10-07"}},
    delib_ids={"2020-045", "2014/137"},
    articles={"L2121-17", "L2122-22"},
    codes={"CGCT", "CRPA"},
)


def test_a_commune_not_in_the_store_is_named_after_the_words_that_introduce_one() -> None:
    for question, name in [
        ("Qu'a voté le conseil municipal de Lyon sur la cantine scolaire ?", "Lyon"),
        ("Quels tarifs de cantine la ville de Tours a-t-elle fixés ?", "Tours"),
        ("Qui a été élu maire de Strasbourg en 2020 ?", "Strasbourg"),
        ("La mairie de Saint-Étienne-du-Rouvray a-t-elle voté ?", "Saint"),
    ]:
        scope = parse_scope(question, FACETS)
        assert scope.unknown_communes[0].startswith(name), question
        assert scope.missing_label().startswith(f"de {name}")
    assert parse_scope("Qu'a voté le conseil sur les éoliennes du Petit Pressigny ?", FACETS).unknown_communes == ()
    assert parse_scope("Un agent dort à Paris pour une mission : combien ?", FACETS).unknown_communes == ()


def test_an_indexed_commune_restricts_and_other_places_named_alongside_it_do_not_count() -> None:
    scope = parse_scope("Un agent de Couthenans dort à Paris pour une mission : combien ?", FACETS)
    assert scope.communes == ("couthenans",) and scope.unknown_communes == () and not scope.missing_label()
    assert scope.admits(
        {schema.KIND: schema.KIND_DELIBERATION, schema.COMMUNE_KEY: "couthenans", schema.DATE: "2022-10-07"}
    )
    assert not scope.admits(
        {schema.KIND: schema.KIND_DELIBERATION, schema.COMMUNE_KEY: "preuilly-sur-claise", schema.DATE: "2020-07-23"}
    )
    assert scope.admits({schema.KIND: schema.KIND_ARTICLE, schema.ARTICLE: "L2121-17"})


def test_a_period_with_no_document_of_the_named_commune_is_missing() -> None:
    assert parse_scope("Quels étaient les tarifs de la cantine de Preuilly en 2015 ?", FACETS).missing_label() == (
        "de Preuilly-sur-Claise de 2015"
    )
    assert parse_scope("Quel budget pour les associations de Couthenans en 2020 ?", FACETS).missing_label()
    assert not parse_scope("Quel budget pour les associations en octobre 2022 ?", FACETS).missing_label()
    assert parse_scope("Qu'a voté le conseil municipal le 15 septembre 2021 ?", FACETS).missing_label() == (
        "du 15 septembre 2021"
    )


def test_since_a_month_is_not_a_restriction_and_numbers_are_not_years() -> None:
    scope = parse_scope("Combien paie un enfant à la cantine de Preuilly depuis septembre 2020 ?", FACETS)
    assert scope.month is None and scope.years == () and not scope.missing_label()
    rentree = parse_scope("Le repas adulte passe à combien à la rentrée de septembre 2020 ?", FACETS)
    assert rentree.month is None and rentree.years == ()
    assert parse_scope("Que dit la délibération 2020-045 ?", FACETS).years == ()


def test_a_year_admits_the_seances_of_the_years_around_it() -> None:
    scope = parse_scope("Combien pour les prix des maisons fleuries 2019 à Preuilly ?", FACETS)
    assert scope.years == (2019,) and not scope.missing_label()
    assert scope.admits(
        {schema.KIND: schema.KIND_DELIBERATION, schema.COMMUNE_KEY: "preuilly-sur-claise", schema.DATE: "2020-07-23"}
    )


def test_a_meeting_named_alone_is_listed_but_not_a_meeting_with_a_question_about_it() -> None:
    assert parse_scope("Qu'a décidé le conseil le 7 octobre 2022 ?", FACETS).lists_meeting
    assert parse_scope("la séance de Preuilly du 23 juillet 2020", FACETS).lists_meeting
    mixed = parse_scope(
        "À la séance de Preuilly du 23 juillet 2020, 14 élus sur 15 étaient présents : le quorum était-il atteint ?",
        FACETS,
    )
    assert mixed.date == "2020-07-23" and not mixed.lists_meeting


def test_a_deliberation_number_restricts_to_it_and_one_not_indexed_is_missing() -> None:
    scope = parse_scope("Que dit la délibération 2020-045 ?", FACETS)
    assert scope.delib_ids == ("2020-45",) and scope.restricts and not scope.missing_refs
    assert scope.admits({schema.KIND: schema.KIND_DELIBERATION, schema.DELIB_ID: "2020-045"})
    assert not scope.admits({schema.KIND: schema.KIND_DELIBERATION, schema.DELIB_ID: "2020-046"})
    assert parse_scope("délib. n° 2014/137", FACETS).delib_ids == ("2014-137",)
    missing = parse_scope("Que contient la délibération n° 2014/300 de Montpellier ?", FACETS)
    assert missing.missing_refs == ("la délibération n° 2014/300",)
    assert missing_notice(missing, law_follows=False) == "La délibération n° 2014/300 n'est pas indexée."
    assert parse_scope("Cantine : tarifs de la rentrée 2020-2021 ?", FACETS).missing_refs == ()  # a school year


def test_an_article_or_a_code_not_indexed_is_missing() -> None:
    assert parse_scope("Que dit l'article L2224-12 du CGCT sur l'eau ?", FACETS).missing_refs == ("l'article L2224-12",)
    assert parse_scope("Que dit l'article L2121-17 ?", FACETS).missing_refs == ()
    code = parse_scope("Quel article du code de l'environnement encadre les éoliennes ?", FACETS)
    assert missing_notice(code, law_follows=False) == "Le code de l'environnement n'est pas indexé."
    assert parse_scope("Que dit le code général des collectivités territoriales ?", FACETS).missing_refs == ()


def test_a_deciding_body_other_than_the_council_is_missing_but_not_a_board_the_council_appoints_to() -> None:
    body = parse_scope("Qu'a voté le conseil communautaire de la CCPH sur le pacte financier ?", FACETS)
    assert missing_notice(body, law_follows=False) == "Aucun document du conseil communautaire n'est indexé."
    assert parse_scope("Qu'a décidé le conseil d'administration du CCAS ?", FACETS).missing_refs
    appointed = "Qui sont les élus désignés au conseil d'administration du CCAS de Montpellier ?"
    assert parse_scope(appointed, FACETS).missing_refs == ()
    held = dataclasses.replace(FACETS, bodies={"conseil communautaire"})
    assert parse_scope("Qu'a voté le conseil communautaire sur le pacte ?", held).missing_refs == ()


def test_a_school_year_names_its_two_years() -> None:
    scope = parse_scope("Quels tarifs de cantine Preuilly a-t-elle fixés pour la rentrée scolaire 2023-2024 ?", FACETS)
    assert scope.years == (2023, 2024)
    assert scope.missing_label() == "de Preuilly-sur-Claise de 2023-2024"
    assert not parse_scope("Tarifs de la cantine de Preuilly pour la rentrée 2020-2021 ?", FACETS).missing_label()


@pytest.mark.integration
def test_texts_not_in_the_store_are_refused_with_a_notice_naming_them(demo_kb) -> None:  # type: ignore[no-untyped-def]
    for question, notice in [
        ("Que dit la délibération 2020-061 de Preuilly ?", "La délibération n° 2020-061 n'est pas indexée."),
        ("Que dit l'article L2224-12 du CGCT sur les tarifs de l'eau ?", "L'article L2224-12 n'est pas indexé."),
        (
            "Quel article du code de l'environnement encadre l'implantation des éoliennes ?",
            "Le code de l'environnement n'est pas indexé.",
        ),
        (
            "Qu'a voté le conseil communautaire de la CCPH sur le pacte financier et fiscal ?",
            "Aucun document du conseil communautaire n'est indexé.",
        ),
    ]:
        answer = demo_kb.ask(question)
        assert not answer.found and not answer.citations, question
        assert answer.text.startswith(notice), answer.text


@pytest.mark.integration
def test_a_deliberation_named_by_its_number_is_answered_from_it_alone(demo_kb) -> None:  # type: ignore[no-untyped-def]
    answer = demo_kb.ask("Que dit la délibération 2020-045 de Preuilly ?")
    assert answer.found and answer.citations
    assert {c.chunk.meta[schema.DELIB_ID] for c in answer.citations} == {"2020-045"}


@pytest.mark.integration
def test_a_commune_not_indexed_is_said_plainly_instead_of_quoting_another(demo_kb) -> None:  # type: ignore[no-untyped-def]
    answer = demo_kb.ask("Qu'a voté le conseil municipal de Lyon sur la cantine scolaire ?")
    assert answer.text.startswith(
        "Aucun document de Lyon n'est indexé (communes indexées : Couthenans, Montpellier, Preuilly-sur-Claise)."
    )
    assert not answer.found and not answer.citations
    assert all(hit.chunk.kind == schema.KIND_ARTICLE for hit in answer.closest)


@pytest.mark.integration
def test_the_law_still_answers_a_legal_question_naming_a_commune_not_indexed(demo_kb) -> None:  # type: ignore[no-untyped-def]
    answer = demo_kb.ask("Le maire de Lyon peut-il déléguer sa signature ?")
    assert answer.found
    assert answer.text.startswith("Aucun document de Lyon n'est indexé (communes indexées : ")
    assert answer.text.split("\n", 1)[0].endswith(" ; voici ce que dit la loi.")
    assert answer.citations and all(c.chunk.kind == schema.KIND_ARTICLE for c in answer.citations)


@pytest.mark.integration
def test_a_year_not_indexed_for_the_commune_is_refused_with_the_reason(demo_kb) -> None:  # type: ignore[no-untyped-def]
    answer = demo_kb.ask("Quels étaient les tarifs de la cantine de Preuilly en 2015 ?")
    assert not answer.found
    assert answer.text.startswith("Aucun document de Preuilly-sur-Claise de 2015 n'est indexé.")


@pytest.mark.integration
def test_an_indexed_commune_restricts_the_passages_to_it_and_the_law(demo_kb) -> None:  # type: ignore[no-untyped-def]
    question = "Qu'a voté le conseil de Couthenans sur les travaux forestiers en janvier 2022 ?"
    hits = demo_kb.retriever.run(question, top_k=10, scope=demo_kb.scoper.read(question)).hits
    assert hits[0].chunk.meta[schema.COMMUNE_KEY] == "couthenans"
    assert all(
        h.chunk.kind == schema.KIND_ARTICLE
        or (h.chunk.meta[schema.COMMUNE_KEY] == "couthenans" and h.chunk.meta[schema.DATE] == "2022-01-21")
        for h in hits
    )
    unscoped = demo_kb.retriever.run(question, top_k=10).hits
    assert any(h.chunk.meta.get(schema.DATE) not in (None, "2022-01-21") for h in unscoped)  # the scope did filter


@pytest.mark.integration
def test_a_question_about_one_meeting_lists_its_records(demo_kb) -> None:  # type: ignore[no-untyped-def]
    from rag.records import list_records
    from rag.schema import Filters

    answer = demo_kb.ask("Qu'a décidé le conseil le 7 octobre 2022 ?")
    records = list_records(demo_kb.store, Filters(since="2022-10-07", until="2022-10-07"))
    assert answer.found and answer.mode == "records"
    assert answer.text.startswith("Séance du 7 octobre 2022 (Couthenans) :")
    assert len(answer.citations) == len(records) > 0
    assert "M57" in answer.text
    assert all(c.chunk.meta[schema.DATE] == "2022-10-07" for c in answer.citations)
    assert [c.quote for c in answer.citations] == [(r.objet or "").strip() for r in records]


def test_a_number_of_inhabitants_or_an_amount_is_not_a_year() -> None:
    assert parse_scope("Combien d'élus au conseil municipal pour 2000 habitants ?", FACETS).years == ()
    assert parse_scope("Une subvention de 1950 euros a-t-elle été votée en 2020 ?", FACETS).years == (2020,)


@pytest.mark.integration
def test_the_facets_are_saved_per_generation_and_read_by_a_new_process(writable_demo_store) -> None:  # type: ignore[no-untyped-def]
    """A new process (a CLI ask) reads the facets saved for the store's generation instead of every passage's
    metadata; after a write they are computed again, never stale."""
    from rag.kb import KnowledgeBase
    from rag.scope import Scoper
    from rag.settings import Settings

    kb = KnowledgeBase(Settings.from_env(store=writable_demo_store))
    computed = Scoper(store=kb.store).facets()
    assert "couthenans" in computed.communes and "L2121-17" in computed.articles

    fresh = Scoper(store=kb.store)
    fresh._computed = lambda: pytest.fail("facets read again from every passage")  # type: ignore[method-assign]
    assert fresh.facets() == computed

    source = next(d.source for d in kb.store.documents() if "couthenans" in d.source.lower())
    kb.remove(source)
    after = Scoper(store=kb.store).facets()
    assert after != computed and after.articles == computed.articles


def test_the_date_of_an_event_is_no_seance_date_when_no_seance_that_day_but_one_that_year() -> None:
    # the unseen store's "Convention Nationale des Avocats d'octobre 2014" was granted in April 2014
    for question, year in [
        ("Quelle subvention la Ville a-t-elle accordée pour la Convention des Avocats d'avril 2022 ?", 2022),
        ("Quel est le déficit de l'assainissement de Couthenans au 1er janvier 2022 ?", 2022),
    ]:
        scope = parse_scope(question, FACETS)
        assert (scope.date, scope.month, scope.years, scope.missing_label()) == (None, None, (year,), ""), question
        assert {"avril", "janvi"} & scope.stems  # the month is met by the passages of the year
    # a séance, a record or a decision of that day or month stays the séance's: not indexed, said so
    assert parse_scope("Qu'a voté le conseil de Couthenans le 15 septembre 2022 ?", FACETS).missing_label()
    assert parse_scope("Quelle subvention a été votée en mars 2022 pour l'ACCA ?", FACETS).missing_label()
    # and an event of a year with no séance stays missing
    assert parse_scope("Quel déficit de l'assainissement de Couthenans au 1er janvier 2015 ?", FACETS).missing_label()
    # "pour le 14 juillet": when the thing happens, even in a question on what the council chose (Flaux, 16 June 2021)
    scope = parse_scope("Quel groupe le conseil de Couthenans a-t-il retenu pour le 14 juillet 2022 ?", FACETS)
    assert (scope.date, scope.years, scope.missing_label()) == (None, (2022,), "")


def test_a_commune_is_named_after_a_capitalised_ville_or_commune_too() -> None:
    scope = parse_scope("Quelle subvention la Ville de Nîmes a-t-elle accordée au Crédit Municipal ?", FACETS)
    assert scope.unknown_communes == ("Nîmes",)
    assert parse_scope("La Commune de Preuilly a-t-elle voté ?", FACETS).communes == ("preuilly-sur-claise",)
    assert parse_scope("Qui dirige la Caisse de Crédit Municipal de Nîmes ?", FACETS).unknown_communes == ()


def test_a_commune_followed_by_punctuation_is_named() -> None:
    assert parse_scope("À Preuilly, combien paie un adulte pour un repas ?", FACETS).communes == (
        "preuilly-sur-claise",
    )


def test_a_grouping_is_named_by_its_own_name_and_a_body_held_at_a_documents_head_is_not_missing() -> None:
    facets = dataclasses.replace(
        FACETS,
        communes={
            **FACETS.communes,
            "sivos-des-quatre-clochers": "SIVOS des Quatre Clochers",
            "communaute-de-communes-du-val-de-dorme": "Communauté de communes du Val de Dorme",
        },
        bodies={"comite syndical"},
    )
    scope = parse_scope("Qu'a décidé le comité syndical du SIVOS des Quatre Clochers sur la cantine ?", facets)
    assert scope.communes == ("sivos-des-quatre-clochers",) and not scope.missing_refs
    assert parse_scope("Les quatre tarifs de la cantine ?", facets).communes == ()  # "quatre" alone is a number
    # a body named by its kind alone is the store's bodies of that kind; "communauté" alone names none
    cc = ("communaute-de-communes-du-val-de-dorme",)
    assert parse_scope("Combien la CC a-t-elle donné au club de foot ?", facets).communes == cc
    assert parse_scope("La communauté de communes a voté la taxe ?", facets).communes == cc
    assert parse_scope("Les tarifs de la maison de la communauté ?", facets).communes == ()
    assert parse_scope("Les taux votés au Val de Dorme ?", facets).communes == (
        "communaute-de-communes-du-val-de-dorme",
    )
    assert parse_scope("Qu'a décidé le conseil communautaire ?", facets).missing_refs == ("du conseil communautaire",)


def test_a_commune_the_council_documents_mention_is_not_a_missing_council() -> None:
    """A SIVOS's minutes write what each member commune pays: "la commune de Quincelles" is a topic there (the
    Scoper asks the minutes of the store's groupings only: `is_grouping`)."""
    assert is_grouping("sivos-des-quatre-clochers") and not is_grouping("preuilly-sur-claise")
    written = {"quincel"}
    scope = parse_scope(
        "Combien la commune de Quincelles verse-t-elle au SIVOS ?", FACETS, mentioned=written.__contains__
    )
    assert scope.unknown_communes == () and not scope.missing_label()
    # the council of a town no document writes is still missing, and so is a council named as the one deciding
    assert parse_scope(
        "Combien la commune de Lyon verse-t-elle ?", FACETS, mentioned=written.__contains__
    ).unknown_communes == ("Lyon",)
    written.add("lyon")
    scope = parse_scope("Qu'a voté le conseil municipal de Lyon ?", FACETS, mentioned=written.__contains__)
    assert scope.unknown_communes == ("Lyon",)


def test_the_kinds_of_body_of_rag_bodies_are_named_by_kind_and_by_their_own_name() -> None:
    """A waste syndicate, an office de tourisme, a CCAS (session 32): "le SMICTOM", "l'office de tourisme", "le CCAS"
    name the store's body of that kind; its own name names it too, its kind's words do not."""
    facets = dataclasses.replace(
        FACETS,
        communes={
            **FACETS.communes,
            "smictom-du-haut-velaunay": "SMICTOM du Haut-Velaunay",
            "office-de-tourisme-brevannes-lacs-et-forets": "Office de tourisme Brévannes Lacs & Forêts",
            "centre-communal-d-action-sociale-de-bramoncourt": "Centre communal d'action sociale de Bramoncourt",
        },
    )
    assert parse_scope("Que paie-t-on au SMICTOM pour un bac de 120 litres ?", facets).communes == (
        "smictom-du-haut-velaunay",
    )
    assert parse_scope("Quel budget pour l'office de tourisme en 2024 ?", facets).communes == (
        "office-de-tourisme-brevannes-lacs-et-forets",
    )
    assert parse_scope("Quelles aides le CCAS a-t-il accordées ?", facets).communes == (
        "centre-communal-d-action-sociale-de-bramoncourt",
    )
    assert parse_scope("Les tarifs du Haut-Velaunay pour un bac ?", facets).communes == ("smictom-du-haut-velaunay",)
    assert parse_scope("Les aides sociales à Bramoncourt ?", facets).communes == (
        "centre-communal-d-action-sociale-de-bramoncourt",
    )
    assert parse_scope("Quelle taxe de séjour pour le tourisme ?", facets).communes == ()
    assert is_grouping("smictom-du-haut-velaunay") and is_grouping("office-de-tourisme-brevannes-lacs-et-forets")


def test_a_body_written_at_the_head_of_a_document_is_not_missing_though_its_commune_was_not_read() -> None:
    """A document whose commune was not read (or read as another name) still writes its body at its head: a question
    naming that body is scoped to the document's commune, not answered "aucun document n'est indexé"."""
    facets = dataclasses.replace(
        FACETS,
        communes={**FACETS.communes, "haute-vionne": "Haute-Vionne"},
        heads={
            "commune d auribal le vieux proces verbal du conseil municipal": {""},
            "commune d aurignol sur vionne raa n 2021 03": {"haute-vionne"},
        },
    )
    scope = parse_scope("Combien la commune d'Auribal-le-Vieux donne-t-elle au club de foot ?", facets)
    assert scope.unknown_communes == () and scope.communes == () and not scope.missing_label()
    scope = parse_scope("Quel tarif la commune d'Aurignol-sur-Vionne a-t-elle fixé pour le marché ?", facets)
    assert scope.communes == ("haute-vionne",) and not scope.missing_label()
    # a place no head writes stays missing, and so does one whose name is only part of a longer head word
    assert parse_scope("Qu'a voté le conseil municipal de Lyon ?", facets).missing_label() == "de Lyon"
    assert parse_scope("Qu'a voté le conseil municipal d'Auri ?", facets).missing_label() == "de Auri"


def test_a_seance_date_written_at_the_head_of_a_document_is_not_missing() -> None:
    """A séance read under another date (a footer's "Approuvé en séance du 19 décembre 2019") is still named at its
    document's head: a question about "le conseil municipal du 28 novembre 2019" is scoped to that year."""
    facets = dataclasses.replace(
        FACETS,
        dates={*FACETS.dates, "2019-12-19"},
        heads={"commune d auribal proces verbal du conseil municipal du 28 novembre 2019 page 1 3": {""}},
    )
    scope = parse_scope("Quand a lieu le repas des aînés annoncé au conseil municipal du 28 novembre 2019 ?", facets)
    assert not scope.missing_label() and scope.years == (2019,) and scope.date is None
    facets = dataclasses.replace(facets, heads={"ehpad conseil d administration 28 11 2019": {""}})
    assert parse_scope("Qu'a décidé le conseil le 28 novembre 2019 ?", facets).years == (2019,)
    # a date no head writes stays missing
    assert parse_scope("Qu'a décidé le conseil le 27 novembre 2019 ?", facets).missing_label() == "du 27 novembre 2019"
