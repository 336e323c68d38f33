"""Notes at a page's foot are read where they are called (ingest.footnotes)."""

from __future__ import annotations

from ingest.footnotes import place_footnotes
from rag.schema import Page

PAGE = """Délibération n° 12 – Tarifs de l'eau. Le conseil émet un avis favorable à la hausse de la part
proportionnelle et au maintien de l'abonnement annuel1, et demande que ces tarifs soient soumis au conseil
communautaire du 12 décembre 20242. M. DURAND demande un point chaque année.
Délibération n° 13 – Fonds de solidarité. Le conseil porte la dotation à 8 000 €.
(1) Part proportionnelle : 1,64 € HT le m³ ;
abonnement annuel inchangé : 72,00 € HT.
(2) Vote : 6 voix pour, 2 voix contre (M. Paul DURAND et Mme Léa MARTIN).
PV n° 4 – page 1 / 3"""


def test_notes_follow_the_sentence_that_calls_them() -> None:
    [page] = place_footnotes([Page(PAGE, 1)])
    lines = page.text.splitlines()
    assert (
        lines[1]
        == "proportionnelle et au maintien de l'abonnement annuel (1), et demande que ces tarifs soient soumis au conseil"
    )
    assert lines[2] == "communautaire du 12 décembre 2024 (2)."
    assert lines[3:6] == [
        "Part proportionnelle : 1,64 € HT le m³ ;",
        "abonnement annuel inchangé : 72,00 € HT.",
        "Vote : 6 voix pour, 2 voix contre (M. Paul DURAND et Mme Léa MARTIN).",
    ]
    # the rest of the line after the sentence goes on below the notes; the next deliberation and the footer stay put
    assert lines[6] == "M. DURAND demande un point chaque année."
    assert lines[7].startswith("Délibération n° 13")
    assert lines[-1] == "PV n° 4 – page 1 / 3"


def test_a_numbered_list_without_calls_is_left_alone() -> None:
    text = "Le conseil fixe les priorités suivantes pour 2025 :\n(1) la voirie du bourg ;\n(2) l'école."
    assert place_footnotes([Page(text, 2)]) == [Page(text, 2)]


def test_notes_out_of_order_or_missing_a_call_are_left_alone() -> None:
    missing = "Le conseil maintient l'abonnement annuel1 et fixe le tarif.\n(1) 72 € HT.\n(2) Vote : unanimité."
    assert place_footnotes([Page(missing, 1)])[0].text == missing
    code = "Le budget suit la nomenclature M57 et le plan comptable.\n(5) Voir l'annexe."
    assert place_footnotes([Page(code, 1)])[0].text == code


def test_a_number_in_brackets_already_in_the_text_is_not_taken_for_the_call() -> None:
    text = "Le barème (1) de 2019 est abrogé ; l'abonnement annuel1 reste fixé.\nLa séance continue.\n(1) 72 € HT."
    [page] = place_footnotes([Page(text, 1)])
    assert page.text.splitlines()[:2] == [
        "Le barème (1) de 2019 est abrogé ; l'abonnement annuel (1) reste fixé.",
        "72 € HT.",
    ]
