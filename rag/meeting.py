"""The formulas every French council record opens with, which answer no question about a decision.

A deliberation or a compte rendu opens with the meeting: "Séance publique du jeudi 24 avril 2014",
"Convoqué le 17 avril 2014, le Conseil Municipal ... s'est réuni ... sous la présidence de ...",
"Présents : ...", "Absents ayant voté par procuration", "secrétaire de séance"; its heading ("Extrait du
registre des délibérations", "n° 2014 / 149") and the prefecture's stamp ("Acte certifié exécutoire",
"Accusé de réception", "Publiée le"). Those sentences share the
question's words ("conseil municipal", a date, names) and hold names and dates, so a question asking "who"
or "when" about a decision would quote them. They are the same in every commune's minutes (the wording
of the CGCT's rules on convocation, quorum and attendance), not a layout: the answer step quotes them only
when the question is about the meeting itself ("Qui présidait la séance ?", "Qui était absent ?").

>>> is_meeting_formula("Convoqué le 17 avril 2014, le Conseil Municipal de la Ville de Montpellier s'est réuni en mairie")
True
>>> is_meeting_formula("Monsieur Philippe VINÇON été nommé secrétaire de séance")
True
>>> is_meeting_formula("A été élue : - Patricia MIRALLES")
False
>>> is_meeting_formula("Montpellier n° 2014 / 149"), is_meeting_formula("Extrait du registre des délibérations du Conseil")
(True, True)
>>> asks_about_meeting("Qui présidait la séance du 24 avril 2014 ?"), asks_about_meeting("Qui a été élu au CCAS ?")
(True, False)
"""

from __future__ import annotations

import re

from rag.french import fold

# Folded (lower case, no accents) phrases of the opening of a record.
_FORMULA_RE = re.compile(
    r"\bconvoque[es]?\b|\bs'est reuni|\bse sont reunis|\bregulierement convoque|\bnombre prescrit par la loi"
    r"|\bsous la presidence\b|\bseance publique du\b|\bsecretaire de seance\b|\bpresents?\s*:|\babsents?\b[^:]{0,40}:"
    r"|\bexcuses?\s*:|\bprocurations?\s*:|\bvote par procuration\b|\bquorum\b|\bmembres en exercice\b"
    r"|\bdate de (?:la )?convocation\b|\bdonne(?:nt)? procuration\b|\bouvert(?:e)? la seance\b|\bseance (?:est )?levee\b"
    # the rapporteur's line, the record's own heading and the prefecture's transmission stamp
    r"|\brapporte\s*:"
    r"|\bextrait du registre\b|\bpour extrait conforme\b|\bpubliee? le\b|\baccuse de reception\b"
    r"|\bacte certifie executoire\b|\b(?:envoi|reception) en prefecture\b"
    r"|^[^.:]{0,40}\bn\s?°?\s?(?:19|20)\d{2}\s?[/_-]\s?\d{1,4}\W*$"
)
# A question about the meeting itself, not about one of its decisions.
_ABOUT_MEETING_RE = re.compile(
    r"\bpresid|\bconvoc|\bconvoque|\bpresents?\b|\babsents?\b|\bexcuses?\b|\bprocuration|\bquorum"
    r"|\bsecretaire de seance|\ba quelle heure\b|\bouvert|\bleve[ea]?\b|\bsalle\b|\bou s'est reuni"
)
# "se réunir" is the council's meeting unless the question names another body that meets ("Quand l'association
# La Ronde des aînés se réunit-elle au château ?": the association's days, not the council's convocation).
_GATHERS_RE = re.compile(r"\breuni")
_OTHER_BODY_RE = re.compile(r"\b(?:association|club|comite|amicale|collectif|syndicat|jeunes|aines|anciens|parents)\b")


def is_meeting_formula(sentence: str) -> bool:
    """Whether the sentence is part of a record's opening (convocation, chair, attendance, quorum)."""
    return bool(_FORMULA_RE.search(fold(sentence)))


def asks_about_meeting(question: str) -> bool:
    """Whether the question is about the meeting (its chair, attendance, convocation, quorum, time).

    >>> asks_about_meeting("Quand le conseil municipal s'est-il réuni ?"), asks_about_meeting("Où s'est réuni le conseil ?")
    (True, True)
    >>> asks_about_meeting("Quand l'association La Ronde des aînés se réunit-elle au château de Flaux ?")
    False
    """
    folded = fold(question)
    if _ABOUT_MEETING_RE.search(folded):
        return True
    return bool(_GATHERS_RE.search(folded)) and not _OTHER_BODY_RE.search(folded)
