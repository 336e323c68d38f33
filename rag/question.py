"""What kind of answer a French question asks for, and whether a sentence can give it.

"Combien coûte ..." wants an amount, "Qui ..." a name, "Quand ..." a date, "Avec quel vote ..." a vote
count: the extractive answerer prefers the sentences and table rows that hold that kind of fact.

>>> answer_type("Combien paie un enfant à la cantine ?")
'amount'
>>> answer_type("Qui sont nos délégués au collège ?")
'person'
>>> answer_type("Quel taux de taxe foncière le conseil a-t-il voté pour 2020 ?")
'amount'
>>> answer_type("Comment le conseil a-t-il voté ?"), answer_type("Qui a voté contre la convention ?")
('vote', 'vote')
>>> answer_type("Quelle est la durée du contrat ?"), answer_type("Quels sont les délégués titulaires au SMEG ?")
('duration', 'person')
>>> answer_type("Quelle est la valeur locative annuelle du local ?"), answer_type("À quelle hauteur la Ville garantit-elle l'emprunt ?")
('amount', 'amount')
>>> answer_type("Quel a été le résultat du vote sur la convention ?")
'vote'
>>> answer_type("Flaux reste-t-il adhérent au service commun ?"), answer_type("La servitude est-elle payante ?")
('decision', 'decision')
>>> answer_type("À qui la Ville a-t-elle vendu la Chapelle ?"), answer_type("Avec quelle société a-t-il résilié ?")
('other', 'organisation')
>>> answer_type("Quelle entreprise a obtenu le marché ?"), answer_type("Quel avis le conseil a-t-il rendu ?")
('organisation', 'opinion')
>>> answer_type("Quel niveau de rémunération pour le poste de médecin ?")
'level'
>>> gives("organisation", "La société de Fulldawa Productions"), gives("organisation", "19 novembre 2020 2/3 REPUBLIQUE FRANCAISE")
(True, False)
>>> gives("organisation", "a attribué le marché négocié à la compagnie aérienne Air France.")
True
>>> gives("amount", "- 3.50€ pour ceux qui prennent leur repas occasionnellement")
True
>>> gives("person", "d’autoriser Madame Le Maire à signer"), gives("person", "Madame Anne LEROY est désignée")
(False, True)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from rag.facts import extract_facts, fold
from rag.french import NUMBER_WORDS
from rag.text import tokens

AMOUNT = "amount"  # a sum of money, a price, a rate: a number with its unit
NUMBER = "number"  # how many of something (members, seats, names): a number
DURATION = "duration"  # for how long: a number with its unit of time ("1 an", "18 ans", "6 mois")
PERSON = "person"  # who: a name
DATE = "date"  # when: a date
VOTE = "vote"  # how the council voted: counts or unanimity
DECISION = "decision"  # what was decided: the operative part of a deliberation
ORGANISATION = "organisation"  # which company, body or association: its name ("BRAKE FRANCE", "la société BRL")
OPINION = "opinion"  # which opinion was given: favourable, unfavourable, with reservations
LEVEL = "level"  # which level, index, grade or category ("Niveau de rémunération : IB 429 à 1 157")
HOUR = "hour"  # at what time of day: an hour ("20h55", "à vingt heures")
FREQUENCY = "frequency"  # how often: "trimestriellement", "une fois par an", "chaque mois"
OTHER = "other"

# A number written in words, as deliberations write ages, counts and durations ("treize personnes",
# "soixante-dix-sept ans", "vingt et un jours").
_NUMBER_WORD = "(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")s?"
NUMBER_IN_WORDS = rf"{_NUMBER_WORD}(?:(?:-et-|-| et | ){_NUMBER_WORD})*"

# A question about the time of day, answered only by an hour ("20h30", "21 h", "18H00", "à vingt heures").
HOUR_QUESTION_RE = re.compile(
    r"\ba quelle heure\b|\bheure (?:de (?:debut|fin|cloture|levee|ouverture)|d'ouverture)\b"
    r"|\b(?:les|des|ses|leurs|quels) horaires\b|\bhoraires? d'(?:ouverture|accueil)\b"  # (not "les tarifs horaires")
)
HOUR_RE = re.compile(
    r"\b\d{1,2}\s?(?:h|heures?)(?:\s?\d{2})?\b|\b(?:une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|"
    r"treize|quatorze|quinze|seize|dix-sept|dix-huit|dix-neuf|vingt|vingt et une|vingt-deux|vingt-trois) heures?\b",
    re.IGNORECASE,
)

# Checked in this order on the folded question: the first that matches wins.
# A yes/no question: "est-ce que", or an inverted verb with no question word before it ("A qui ... a-t-elle vendu"
# asks who).
_YES_NO_RE = re.compile(
    r"^est-ce qu"
    r"|^(?!.*\b(?:quel\w*|qui|que|qu'|quoi|comment|pourquoi|combien|quand|lequel|laquelle|lesquel\w*"
    r"|auquel|auxquel\w*|duquel)\b)(?!ou\b|.*\b(?:d'|par )ou\b)"
    r".*?(?:\b[a-z]+-t-(?:il|elle|ils|elles|on)\b"
    r"|\b(?:est|sont|reste|restent|peut|peuvent|doit|doivent|fait|font|va|vont)-(?:il|elle|ils|elles|on)\b"
    r"|\b[a-z]{3,}[td]-(?:il|elle|ils|elles|on)\b)"  # "devient-il", "prend-elle", "obtiennent-ils"
)


_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "Tous les combien se réunit le comité ?": how often, before "combien" asks a count or a sum
    (
        FREQUENCY,
        re.compile(
            r"\btous les combien\b|\b(?:a )?quelle (?:frequence|periodicite|cadence)\b|\ba quel rythme\b"
            r"|\bcombien de fois par\b|\bcombien de fois (?:dans l'annee|chaque)\b"
        ),
    ),
    # "Qui a été élu président, et avec combien de voix ?": the person first, the vote as the second part
    (PERSON, re.compile(r"^qui (?:(?:a|ont) ete (?:elu|designe|proclame|nomme|reconduit)e?s?|represente\w*)\b")),
    (
        VOTE,
        re.compile(
            r"combien de voix|quel (?:a ete le )?vote|avec quel vote|quel (?:resultat|score)"
            r"|\bcomment\b.*\b(?:a|ont)[- ]t[- ](?:il|elle|ils|elles) vote"
            r"|unanimite|combien (?:d'elus |de conseillers )?ont vote|abstention"
            r"|\bcomment\b[^?]*\ble vote\b|\bcombien\b[^?]*\b(?:se sont|s'est) abstenu"
            # (colloquial: "Ils ont voté comment ?")
            r"|\bvote(?:e|s|es|nt)? comment\b"
            # "Comment le conseil portuaire s'est-il prononcé ..., et qui s'y est opposé ?"
            r"|\bcomment\b[^?]*\b(?:s'est|se sont)[- ](?:t[- ])?(?:il|elle|ils|elles)?[- ]?prononce"
            r"|\bqui\b[^?]*\b(?:s'y|s'(?=est)|se (?=sont))(?:est|sont) oppose"
        ),
    ),
    (
        AMOUNT,
        re.compile(
            r"\bcombien (?:coute|coutent|paie|paye|paient|payent|rapporte|rembourse|vaut|de subvention"
            r"|d'euros|d'argent|faut-il payer|ca coute)|\bquel(?:le)?s? (?:montant|tarif|prix|cout|somme"
            r"|budget|subvention|taux|indemnite|redevance|bareme|dotation|devis|contribution|fonds? de concours|forfait"
            r"|avance|estimation|aide|prime|allocation|frais|depenses?|recettes?|plafond)s?\b"
            r"|\bque (?:coute|coutent|paie|paye|paient|payent|rapporte)\b"
            # "À combien passe l'amende quand ...": a sum, whatever "quand" follows (not "le nombre d'adjoints")
            r"|^a combien (?!de\b|d')(?![^?]*\bnombre\b)"
            r"|\bjusqu'a quel montant"
            # "Quel besoin annuel a été estimé ...": a value estimated or assessed is a sum
            r"|\bquel(?:le)?s? [^?]{0,40}\b(?:a|ont|est|sont) (?:ete )?(?:estimee?s?|evaluee?s?|chiffree?s?)\b"
            r"|\bcombien\b.*\b(?:euros?\b|€)|\bquel(?:le)?s? (?:pourcentage|proportion|quotite|loyer|cotisation|participation"
            r"|valeur|enveloppe|part|longueur|surface|superficie|distance|largeur|contenance)s?\b|\ba hauteur de (?:quel|combien)"
        ),
    ),
    (HOUR, HOUR_QUESTION_RE),  # "à quelle heure la séance a-t-elle été levée ?": before "combien de ... heures"
    # "voté pour" after the amount: "quel montant a-t-il voté pour le club ?" asks an amount.
    # ("qui vote pour Montpellier à l'assemblée générale" asks who)
    (VOTE, re.compile(r"(?<!\bqui )\bvote (?:pour|contre)\b(?! (?:l'annee )?\d{4}\b).*\?")),
    (
        DURATION,
        re.compile(
            r"\bquel(?:le)? (?:duree|delai)\b|\bcombien de temps\b|\bpendant combien\b|\bpour combien de temps\b"
            # an age is a number of years: "jusqu'à quel âge", "à partir de quel âge", "quelle limite d'âge"
            r"|\bquel age\b|\bquelle limite d'age\b"
            r"|\bcombien d'(?:annees|ans)\b|\bcombien de (?:mois|jours|semaines|heures)\b"
        ),
    ),
    (
        NUMBER,
        re.compile(r"\bcombien d[e'](?!\s*(?:argent|euros?))|\bquel nombre\b|\bnombre d(?:e\b|')"),
    ),
    # The question's head noun names the kind of answer wanted: "Quelle entreprise a obtenu le marché ?"
    # asks for a company's name, "Quel avis le conseil a-t-il rendu ?" for an opinion.
    (
        ORGANISATION,
        re.compile(
            r"\bquel(?:le)?s? (?:entreprises?|societes?|organismes?|prestataires?|attributaires?|titulaires? du"
            r" (?:marche|lot)|cabinets?|bureaux? d'etudes?|banques?|etablissements? (?:bancaires?|preteurs?)"
            r"|preteurs?|fournisseurs?|operateurs?|candidats?|laureats?|associations?|structures?|groupements?"
            r"|bailleurs?|concessionnaires?|delegataires?|entites?|compagnies?|assureurs?|mutuelles?"
            r"|cooperatives?|syndicats?|clubs?|etablissements?|fondations?|boites?|firmes?|(?:[a-z]\.){2,}[a-z]?)(?:\b|(?<=\.))"
            r"|\baupres de (?:qui|quel(?:le)?s?)\b"
        ),
    ),
    (
        OPINION,
        re.compile(
            r"\bquel(?:le)?s? (?:avis|position|positionnement)\b|\bpour ou contre\b"
            # "Qu'a pensé le conseil du projet ?": the opinion it gave
            r"|\bqu'(?:a|ont|en) pense\b|\bque pense\b"
            r"|-(?:il|elle|ils|elles|on) (?:favorables?|defavorables?)\b"
        ),
    ),
    (
        LEVEL,
        re.compile(
            r"\bquel(?:le)?s? (?:niveau(?! d(?:e |')(?:diplome|etudes|formation|qualification))|indices?|echelons?"
            r"|grades?|categorie|cadre d'emplois|remuneration|salaire|traitement|grilles?(?: indiciaires?)?)s?\b"
            # ("quelle rémunération", "quel niveau de rémunération", "sur quelle base de rémunération")
            r"|\bquel(?:le)?s? \w+ (?:de|d') ?remuneration\b"
        ),
    ),
    (
        PERSON,
        re.compile(
            # (colloquial: "C'est qui le titulaire ?", "Le délégué, c'est qui ?")
            # ("Au CLIC Maill'âge, qui remplace le maire ?": the question after its topic)
            r"(?:^|[,:;]\s*)(?:et )?qui\b(?! (?:a |ont )?(?:vote|abstenu))|\bc'est qui\b|\bqui (?:est|sont|a ete|ont ete|sera|represente|siege)\b|\bquel(?:le)?s? "
            # "quels sont les cinq délégués" (the copula is gone): a count may come before the persons asked for
            r"(?:(?:deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|\d{1,2}) )?(?:elue?s?|delegue?s?|representante?s?|membres?|titulaires?|suppleante?s?|adjointe?s?|personnes?"
            r"|conseill(?:er|ere)s?(?: municipa(?:l|le|ux|les))?"
            r"|notaires?|avocats?|architectes?|geometres?|experts?|commissaires?)\b"
            r"|\bnom(?:s)? d"
        ),
    ),
    (
        DATE,
        re.compile(
            r"\bquand\b|\bquelles? dates?\b|\ba (?:partir de |compter de )?quelle date\b|\bdepuis quand\b"
            r"|\ben quelle annee\b|\bquel jour\b"
        ),
    ),
    (AMOUNT, re.compile(r"\bcombien\b|\b(?:tarifs?|prix|montant|cout)\b.*\?$")),
    (
        DECISION,
        re.compile(
            r"\bqu'a (?:vote|decide|approuve|adopte|accepte|fixe)|\bqu'(?:est-ce qu'|)a decide"
            r"|\b(?:a|ont)[- ]t[- ](?:il|elle|ils|elles) (?:vote|valide|approuve|accepte|decide)|\bdecision\b"
            r"|\bdeliber|\bvalide\b"
        ),
    ),
    # A yes/no question asks whether something was decided: "Flaux reste-t-il adhérent au service commun ?",
    # "La servitude est-elle payante ?", "Est-ce que le conseil a renouvelé la convention ?".
    (DECISION, _YES_NO_RE),
)

# ("10.8 millions d'euros": a magnitude between the figure and its currency; "4M€", a loan's short title, is left as it
# was: the sum guaranteed, "3 200 000 €", answers before it)
_MAGNITUDE = r"(?:(?:millions?|milliards?)\s?(?:d['’]\s?)?(?=€|euros?\b))?"
_UNIT = (
    _MAGNITUDE
    + r"(?:€|euros?\b|eur\b|%|pour ?cent\b|m²|m2\b|m³|ht\b|ttc\b|/km|€/|k€|centimes?\b|m[èe]tres?\b|km\b|hectares?\b)"
)
# (a company's minutes write the currency first: "un bénéfice net de EUR 48.600,00")
_AMOUNT_RE = re.compile(
    r"\d(?:[\d \u00a0\u202f.,'’]*\d)?\s?" + _UNIT + r"|\bEUR\s?\d[\d.,]*(?:[ \u00a0\u202f]\d{3}(?!\d))*", re.IGNORECASE
)
_NUMBER_RE = re.compile(r"\d|\b" + NUMBER_IN_WORDS + r"\b", re.IGNORECASE)
_DURATION_RE = re.compile(
    r"(?:\d|\b" + NUMBER_IN_WORDS + r"\b)[’']?\s?(?:ans?|années?|mois|semaines?|jours?|heures?)\b",
    re.IGNORECASE,
)
# How often: "se réunit trimestriellement", "au minimum une fois par an", "chaque mois", "tous les deux ans"
_FREQUENCY_RE = re.compile(
    r"\b(?:quotidien|hebdomadaire|bimensuel|mensuel|bimestriel|trimestriel|semestriel|annuel|biennal|bisannuel)"
    r"(?:le|ne)?s?ment\b|\bfois par\b|\bpar (?:an|mois|semaine|trimestre|semestre)\b"
    r"|\b(?:chaque|tou(?:te)?s les)\s+(?:" + NUMBER_IN_WORDS + r"\s+|\d+\s+)?"
    r"(?:ans?|années?|mois|semaines?|trimestres?|semestres?|jours?)\b",
    re.IGNORECASE,
)
_EVERY_RE = re.compile(r"(?i:\b(?:tou(?:te)?s\s+les|chaque)\s*)$")
# When something recurs: "les jeudis en semaines paires de 13h30 à 18h" answers "quand ... se réunit-elle ?".
_SCHEDULE_RE = re.compile(
    r"\bles\s+(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)s\b|\b(?:tous|chaque)\s+(?:les\s+)?"
    r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)s?\b|\b\d{1,2}\s?h\s?\d{2}\b",
    re.IGNORECASE,
)
# "pour" as a vote count's word, not the preposition: "13 pour, 1 contre", not "exercices 2019 à 2022 pour un montant"
VOTE_POUR = r"pour(?!\s+(?:un|une|le|la|les|l'|des|du|de|d'|ce|cette|son|sa|ses|leur|chaque|tout|toute)\b)"
_VOTE_RE = re.compile(
    r"\bvoix\b|unanimit|\b[aà] la majorit|(?<![\d,.])\d{1,3}\s*"
    rf"(?:{VOTE_POUR}"
    r"|contre|abstentions?)\b"
    r"|\bpour\s*:\s*\d|\bcontre\s*:\s*\d",
    re.IGNORECASE,
)
# A company or a body by its name: a legal form, "la société BRL", "Crédit Mutuel", or words in capitals
# ("BRAKE FRANCE (Béziers)").
_ORGANISATION_RE = re.compile(
    r"\b(?:SARL|SAS|SASU|EURL|SCI|SCOP|SEM|SEML|SPL|GIE|SNC|EPIC|EPCI)\b"
    # ("entre les sociétés : Agence de Sécurité Intégrale et Isopro ...": a plural and a colon before the names)
    r"|\b(?i:soci[ée]t[ée]s?|entreprises?|[ée]tablissements?|groupe|cabinet|bureau d['’][ée]tudes|associations?"
    r"|compagnies?(?:\s+a[ée]riennes?)?|fondations?|mutuelles?|agences?|groupements?)\s*:?\s+"
    r"(?:(?:de|d['’]|du|des)\s*)?(?:[A-ZÀ-Ý0-9][\w'’&.-]*)"
    # "la Banque de l'Arbèse et du Tréméjac" (a place the question names taken out, "·", the name goes on)
    r"|\b(?:Cr[ée]dit|Caisse|Banque)\s+(?:d['’]\s*|des?\s+(?:l['’]|la\s+)?|du\s+)?"
    r"(?:[A-ZÀ-Ý]|·\s+(?:et\s+)?(?:du|de|des|d['’])\s*[A-ZÀ-Ý])"
    r"|\b[A-ZÀ-Ý]{2,}[A-ZÀ-Ý'’&-]*(?:[ \t]+(?:&[ \t]+)?[A-ZÀ-Ý]{2,}[A-ZÀ-Ý'’&-]*)+\b"
)
_HEADING_WORDS = frozenset(
    [
        "republique",
        "francaise",
        "departement",
        "du",
        "de",
        "la",
        "des",
        "le",
        "les",
        "conseil",
        "municipal",
        "compte",
        "rendu",
        "extrait",
        "registre",
        "deliberation",
        "deliberations",
        "mairie",
        "commune",
        "ville",
        "seance",
        "objet",
        "prefecture",
        "arrondissement",
        "proces",
        "verbal",
        "et",
        "en",
        "a",
        "au",
        "aux",
    ]
)
# An opinion given: "émettre un avis favorable", "se prononce défavorablement".
_OPINION_RE = re.compile(
    r"\bavis\s+(?:tr[eè]s\s+)?(?:favorable|d[ée]favorable|r[ée]serv[ée]|n[ée]gatif|positif|conforme)"
    r"|\b(?:favorablement|d[ée]favorablement)\b|\bse\s+prononcer?\s+(?:contre|pour|en\s+faveur)"
    r"|\bs['’]oppose[rz]?\b",
    re.IGNORECASE,
)
# A level stated: an index ("IB 429 à 1 157", "indice brut 379"), a step, a category, or a "Niveau ... :" label.
_LEVEL_RE = re.compile(
    r"\b(?:IB|IM|INM)\s*\d|\b(?i:indices?(?:\s+(?:bruts?|major[ée]s?))?)\s*:?\s*\d|\b(?i:[ée]chelon)\s*:?\s*\d"
    r"|\b(?i:cat[ée]gorie)\s+[ABC]\b|\b(?i:niveau|grade)\b[^.:\n]{0,40}:\s*\S"
)
# A civility followed by a name, or a name in capitals next to a capitalised first name.
# "Qui a été élu président", "qui a été désigné": a person chosen by the body, whom its election formula names (folded)
# (one person, asked by "qui": "qui représente désormais le Parc à la CLE"; not "quels élus ont été désignés ...", a
# list of members whose rows answer, nor "qui a été désigné au conseil d'école", where a town designates one per school)
_ELECTED_ASKED_RE = re.compile(
    r"^qui\b.*\b(?:(?:a|est) ete (?:elue?|proclamee?|nommee?|reconduite?)|represente(?:ra)?)\b"
)
_ELECTION_FORMULA_RE = re.compile(
    r"\b(?:a|ont) ete (?:elue?s?|proclamee?s?|designee?s?)\b|\b(?:est|sont) (?:elue?s?|proclamee?s?|designee?s?)\b"
    r"|\belue?s? (?:a la majorite|au (?:premier|deuxieme|second|troisieme) tour)|\bproclamee?s?\b"
)


# One person elected or designated, named on the line under the formula ("A été élu maire :" / "M. Paul X"); a
# list ("Ont été élus :") is read by its rows (folded)
ONE_ELECTED_RE = re.compile(r"\b(?:a ete|est) (?:elue?|proclamee?|designee?|installee?)\b[^.;]{0,200}:$")


# A question whose answer is the vote, or whether the body said yes (folded): "qui a voté contre", "avec quel vote",
# "ont-ils accepté", "va-t-on avoir", "a-t-il décidé"
_VOTE_ASKED_RE = re.compile(
    r"\bvote|\bvoix\b|\babsten|\bunanimit|\baccept|\brefus|\brejet|\badopt|\bapprouv|\bdecid|\bva-t-on\b|\bva-t-(?:il|elle)\b"
    r"|(?:\bs'|\bse )(?:y )?(?:est|sont)(?:-t)?(?:-(?:il|elle|ils|elles))? (?:prononce|oppose)"
)


def asks_vote(question: str) -> bool:
    """Whether the answer is a decision's vote, or whether the body said yes.

    >>> asks_vote("Qui a voté contre les tarifs ?"), asks_vote("Les propriétaires ont-ils accepté l'emprunt ?")
    (True, True)
    >>> asks_vote("Combien coûte l'entrée ?")
    False
    """
    folded = fold(question)
    return bool(_VOTE_ASKED_RE.search(folded)) and (
        answer_type(question) in (VOTE, DECISION, OTHER, PERSON) or asks_yes_no(question)
    )


def one_elected(formula: str) -> bool:
    """Whether a line ending with ":" proclaims one person to a seat it names, the name on the next line.

    >>> one_elected("A été proclamée présidente du syndicat et immédiatement installée :"), one_elected("A été élu :")
    (True, False)
    """
    return bool(ONE_ELECTED_RE.search(fold(formula))) and bool(set(tokens(formula)) - _ELECTION_STEMS - {"install"})


def asks_elected(question: str) -> bool:
    """Whether a "qui" question asks whom the body elected or designated.

    >>> asks_elected("Qui a été élu président du syndicat ?"), asks_elected("Qui préside le syndicat ?")
    (True, False)
    >>> asks_elected("Quels élus ont été désignés au conseil d'administration de l'Office de tourisme ?")
    False
    """
    return bool(_ELECTED_ASKED_RE.search(fold(question)))


def names_elected(question: str, sentence: str) -> bool:
    """Whether a sentence is an election or designation formula naming the person, for the seat the question names.

    >>> q = "Qui a été élu président du syndicat ?"
    >>> names_elected(q, "A été proclamée présidente du syndicat et immédiatement installée : Mme Chantal CAMBEFORT")
    True
    >>> names_elected(q, "La séance est ouverte par M. René ISSARTEL, président sortant.")
    False
    >>> names_elected(q, "Deux assesseurs sont désignés : M. Olivier PRADAYROL et Mme Nadège CARRIÉ.")
    False
    """
    folded = fold(sentence)
    if not (_ELECTION_FORMULA_RE.search(folded) and PERSON_RE.search(sentence)):
        return False
    seat = set(tokens(_ELECTION_FORMULA_RE.sub(" ", fold(question)))) - _ELECTION_STEMS
    return bool(seat & set(tokens(sentence)))


_ELECTION_STEMS = frozenset(tokens("élu élue élus été désigné désignée nommé nommée proclamé proclamée qui désormais"))


PERSON_RE = re.compile(
    r"\b(?:M\.|MM\.|Mme|Mmes|Mlle|Monsieur|Madame|Maître|Maitre|Me)[ \t]+(?:[A-ZÀ-Ý][\w'’\-]*\.?[ \t]*){1,3}"
    # (a first name, not a capitalised article or preposition: "Le CESDA propose", "Pour AMORCE" name no one)
    r"|\b(?!(?:Le|La|Les|Au|Aux|Du|Des|Un|Une|Ce|Cet|Cette|Ces|En|Par|Pour|Sur|Dans|Avec|Et|Chez|Vers|Selon)\b)"
    r"[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?[ \t]+(?:de[ \t]+)?[A-ZÀ-Ý]{2,}(?:[ \t\-][A-ZÀ-Ý]{2,})*\b"
    # (a surname then a first name; not a heading of the law: "CHAPITRE Ier", "TITRE II", "LIVRE Ier")
    r"|\b(?!(?:CHAPITRE|TITRE|LIVRE|SECTION|PARTIE|ARTICLE|ANNEXE)\b)"
    r"[A-ZÀ-Ý]{2,}(?:[ \t\-][A-ZÀ-Ý]{2,})*[ \t]+[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?\b"
)


# A civility before an office ("Madame Le Maire", "Monsieur le Président"): no person's name.
OFFICE_RE = re.compile(
    r"\b(?:M\.|Monsieur|Mme|Madame)\s+(?:l[ea]\s+|l['’]\s*)(?:maire|pr[ée]fet|pr[ée]sidente?|adjointe?"
    r"|premi[eè]re?|directeur|directrice|conseill[eè]re?)\b",
    re.IGNORECASE,
)


# "Quelle est la durée ...", "Quels sont les délégués ...", "Quel a été le résultat du vote ...": the copula
# between "quel" and the noun asked about is dropped, so the noun is read as in "quelle durée", "quels délégués".
_COPULA_RE = re.compile(
    r"\b(quel(?:le)?s?) (?:est|sont|etait|etaient|sera|seront|serait|a ete|ont ete|fut)"
    r"(?:-(?:il|elle|ils|elles))? (?:(?:le|la|les) |l')"
)
# "Quel est le nouveau plafond ...": an adjective between "quel" and its noun is dropped too ("quel plafond").
_QUEL_ADJECTIVE_RE = re.compile(
    r"\b(quel(?:le)?s?) (?:nouveaux?|nouvelles?|anciens?|anciennes?|futurs?|futures?|premiers?|premieres?"
    r"|derniers?|dernieres?|prochains?|prochaines?|actuels?|actuelles?|veritables?|seuls?|seules?) "
)
# "Combien y a-t-il de groupes ...", "combien existe-t-il de ...": "combien de groupes" (a count).
_THERE_ARE_RE = re.compile(
    r"\bcombien (?:y (?:a|avait|aura|aurait|a-t-il eu)(?:-t)?-il|existe(?:-t)?-il|en (?:a|avait|aura)(?:-t)?-il"
    r"|compte(?:-t)?-on|en compte(?:-t)?-on) (?=d[e'])"
)
# "A quelle hauteur la Ville garantit-elle ..." asks a share or an amount.
_HEIGHT_RE = re.compile(r"\ba quelle hauteur\b")


def answer_type(question: str) -> str:
    """The kind of fact the question asks for: AMOUNT, NUMBER, DURATION, PERSON, DATE, VOTE, DECISION,
    ORGANISATION, OPINION, LEVEL, HOUR, FREQUENCY or OTHER."""
    folded = _COPULA_RE.sub(r"\1 ", fold(question).strip())
    folded = _QUEL_ADJECTIVE_RE.sub(r"\1 ", folded)
    folded = _THERE_ARE_RE.sub("combien ", folded)
    folded = _HEIGHT_RE.sub("a hauteur de quel", folded)
    for kind, pattern in _RULES:
        if pattern.search(folded):
            return kind
    if len(re.findall(r"[\w'-]+", folded)) <= MAX_SHORT_WORDS:  # (words, not the question mark)
        # a short question without a question word ("Avitarelle subvention 2013 ?", "salaire des ingénieurs
        # contractuels ?"): the value it names is the one asked
        for kind, pattern in _SHORT_RULES:
            if pattern.search(folded):
                return kind
    return OTHER


MAX_SHORT_WORDS = 8
_SHORT_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        AMOUNT,
        re.compile(
            r"\b(?:subventions?|aides?|loyers?|redevances?|indemnites?|cotisations?|participations?|budgets?|taux"
            r"|dotations?|tarifs?|prix|montants?|couts?|primes?|forfaits?|avances?)\b"
        ),
    ),
    (LEVEL, re.compile(r"\b(?:salaires?|remunerations?|grilles?|indices?|echelons?)\b")),
    (DURATION, re.compile(r"\b(?:durees?|delais?)\b")),  # "Durée de la convention CAF ?"
    (DATE, re.compile(r"\bdates?\b")),
)


def gives(kind: str, sentence: str) -> bool:
    """Whether the sentence holds the kind of fact asked for (always True for DECISION and OTHER)."""
    if kind == AMOUNT:
        return bool(_AMOUNT_RE.search(sentence))
    if kind == NUMBER:
        # a count, not the digits of a date or of a deliberation's number ("le 19 octobre 2020")
        return bool(_NUMBER_RE.search(sentence)) and bool(extract_facts(sentence, with_names=False).numbers)
    if kind == DURATION:
        # "comme tous les 4 ans" says how often, not for how long
        return any(not _EVERY_RE.search(sentence[: m.start()]) for m in _DURATION_RE.finditer(sentence))
    if kind == PERSON:
        # "d'autoriser Madame Le Maire à signer" names an office, not a person
        return bool(PERSON_RE.search(OFFICE_RE.sub("", sentence)))
    if kind == DATE:
        return bool(extract_facts(sentence, with_names=False).dates or _SCHEDULE_RE.search(sentence))
    if kind == VOTE:
        return bool(_VOTE_RE.search(sentence))
    if kind == ORGANISATION:
        # words in capitals that only head the document ("REPUBLIQUE FRANCAISE", "CONSEIL MUNICIPAL") name no one
        return any(not set(fold(m.group(0)).split()) <= _HEADING_WORDS for m in _ORGANISATION_RE.finditer(sentence))
    if kind == OPINION:
        return bool(_OPINION_RE.search(sentence))
    if kind == LEVEL:
        return bool(_LEVEL_RE.search(sentence))
    if kind == HOUR:
        return bool(HOUR_RE.search(sentence))
    if kind == FREQUENCY:
        return bool(_FREQUENCY_RE.search(sentence))
    return True


def amounts(text: str) -> list[str]:
    """The amounts with their unit written in the text, in order ("3.50€", "2 500 euros", "20 %")."""
    out: list[str] = []
    for match in _AMOUNT_RE.finditer(text):
        value = match.group(0).strip()
        if value not in out:
            out.append(value)
    return out


# a word, or a code opening on digits before a capital ("le marché 1M485-125")
_NAME_WORD_CANDIDATE_RE = re.compile(r"(?:\d+(?=[A-ZÀ-Ý]))?[^\W\d_][\w\u2019'-]*")
# Common nouns French capitalises by convention, never a name: "l'État" (the State), and "la Ville", "la Commune",
# "la Mairie": the council's own town, which the question's scope names when it is named at all (over a whole
# corpus with the law, "ville" is rare enough to pass for a name, and every row of a grants table lacks it).
_CONVENTIONAL_CAPITALS = frozenset({"etat", "etats", "ville", "commune", "mairie", "hlm"})  # ("HLM": a kind of housing)
_AT_SENTENCE_START_RE = re.compile(r"(?:^|[.?!:;«(\"]\s*)$")
_CIVILITY_BEFORE_RE = re.compile(
    r"\b(?:M|MM|Mme|Mmes|Mlle|Me|Dr|St|Ste)\.\s*$"
)  # "M. Martin": a name, no sentence start


def question_names(question: str) -> list[str]:
    """The names in the question: a capitalised word inside a sentence, or an acronym ("Toulouse", "TVA").

    >>> question_names("Combien la Ville a-t-elle accordé à L'Avitarelle et à l'APAVE ?")
    ['Avitarelle', 'APAVE']
    >>> question_names("Quelle dotation l'État a-t-il notifiée pour le marché 1M485-125 ?")
    ['1M485-125']
    """
    names = []
    for match in _NAME_WORD_CANDIDATE_RE.finditer(question):
        word = re.split(r"['\u2019]", match.group().strip("'\u2019-"))[-1]  # "l'APAVE" -> "APAVE"
        if fold(word) in _CONVENTIONAL_CAPITALS:
            continue
        acronym = len(word) >= 2 and word.isupper()
        before = question[: match.start()]
        inside = word[:1].isupper() and (
            not _AT_SENTENCE_START_RE.search(before) or bool(_CIVILITY_BEFORE_RE.search(before))
        )
        if acronym or inside:
            names.append(word)
    return names


def name_stems(question: str, *, acronyms: bool = False) -> list[str]:
    """The stems of the question's names ("TVA" -> "tva"), or of its short acronyms only (at most
    ACRONYM_LETTERS capitals); the codes' names ("CGCT") are no stems."""
    words = [w for w in question_names(question) if not acronyms or (w.isupper() and len(w) <= ACRONYM_LETTERS)]
    return list(dict.fromkeys(stem for word in words for stem in tokens(word)))


ACRONYM_LETTERS = 4


RARE_SHARE = 0.6  # a question word is rare when its idf is at least this share of the question's rarest
_NAME_WORD_RE = re.compile(r"(?<!^)(?<![.?!] )\b[A-ZÀ-Ý][\w'’-]*|\b[A-ZÀ-Ý0-9]{2,}\b")


@lru_cache(maxsize=256)
def _terms(question: str) -> tuple[frozenset[str], frozenset[str]]:
    """The question's stems, and those of the words it capitalises (names: "RAIPONCE", "Kawenga")."""
    names = " ".join(m.group(0) for m in _NAME_WORD_RE.finditer(question.strip()))
    return frozenset(tokens(question)), frozenset(tokens(names))


def memo(idf: Callable[[str], float]) -> Callable[[str], float]:
    """`idf` remembered for the words already asked (an index lookup each time costs a store check)."""
    known: dict[str, float] = {}

    def cached(token: str) -> float:
        if token not in known:
            known[token] = idf(token)
        return known[token]

    return cached


# A range a value falls in: "QF de 501 € à 800 €", "entre 1 000 et 2 000 habitants" (on folded text).
_NUMBER = r"(\d{1,3}(?:[ .]\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
_MEASURE = r"(?:€|euros?|m[²³23]?|metres?|km|kg|t|tonnes?|kw|kva|places?|personnes?|ans?)"
_RANGE_RE = re.compile(rf"\b(?:de|entre)\s+{_NUMBER}\s*(?:{_MEASURE}(?![a-z]))?\s+(?:a|et)\s+{_NUMBER}(?![\d,])")
# A table row's band with no "de" but its unit: "Pass mensuel 26 à 64 ans", "3-5 ans" (read by the refusal's check that
# the question's number is met, not to rank rows: "(4 à 17 ans, étudiants ...)" is a band too)
_BARE_RANGE_RE = re.compile(
    rf"(?<![\d,.])(?<!\d ){_NUMBER}\s*(?:a|-)\s*{_NUMBER}\s*(?:ans|m[²³23]|metres?|km|kg|personnes?|places?)\b"
)
# A table row's open band: "QF inférieur ou égal à 500 €" (up to), "QF supérieur à 1 200 €" (above).
_UP_TO_RE = re.compile(rf"(?:\binferieure?s? (?:ou egale?s? )?a|\bjusqu'a|\bmoins de|<=?|≤)\s*{_NUMBER}(?![\d,])")
_ABOVE_RE = re.compile(
    rf"(?:\bsuperieure?s? (?:ou egale?s? )?a|\bau-dela de|\bplus de|\ba partir de|>=?|≥)\s*{_NUMBER}(?![\d,])"
)
# A band is read off a table row only: in a sentence, "plus de 500 €" is no tariff band.
MAX_BAND_ROW = 90


def _value(number: str) -> float:
    return float(re.sub(r"[ .]", "", number).replace(",", "."))


def in_range(number: str, folded: str, *, bare: bool = False) -> bool:
    """Whether a number the question names falls in a range the text writes: a family whose quotient is 700 € pays
    the rate of the row "QF de 501 € à 800 €"; one whose quotient is 400 €, the row "QF inférieur ou égal à 500 €".

    >>> in_range("700", "qf de 501 € a 800 € 2,35 €"), in_range("900", "qf de 501 € a 800 € 2,35 €")
    (True, False)
    >>> in_range("400", "qf inferieur ou egal a 500 € 1,00 €"), in_range("1500", "qf superieur a 1 200 € 4,15 €")
    (True, True)
    >>> in_range("1500", "qf inferieur ou egal a 500 € 1,00 €")
    False
    >>> row = "pass mensuel 26 a 64 ans 36,00 € 38,00 €"
    >>> in_range("30", row, bare=True), in_range("20", row, bare=True), in_range("30", row)
    (True, False, False)
    """
    try:
        value = float(number.replace(",", "."))
    except ValueError:
        return False
    found = [*_RANGE_RE.finditer(folded), *(_BARE_RANGE_RE.finditer(folded) if bare else [])]
    if any(_value(m.group(1)) <= value <= _value(m.group(2)) for m in found):
        return True
    if len(folded) > MAX_BAND_ROW:
        return False
    return any(value <= _value(n) for n in _UP_TO_RE.findall(folded)) or any(
        value > _value(n) for n in _ABOVE_RE.findall(folded)
    )


def writes_range(folded: str) -> bool:
    """Whether the text writes a range or, as a table row, a band ("QF supérieur à 1 200 €")."""
    return bool(_RANGE_RE.search(folded)) or (
        len(folded) <= MAX_BAND_ROW and bool(_UP_TO_RE.search(folded) or _ABOVE_RE.search(folded))
    )


# A quantity the question gives with its unit ("700 €", "1 200 habitants"), not a label's number ("la tranche 4").
# ("les 120 premiers m³": the first band's)
_QUESTION_NUMBER_RE = re.compile(
    r"(?<![\d,])(\d{1,3}(?:[ .]\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![\d,])"
    r"(?=\s*(?:premi[eè]re?s\s+)?(?:€|euros?\b|%|m[²³23]|m\b|m[eè]tres?\b|habitants\b|km\b|kg\b|tonnes?\b|ans\b))"
)
# A quantity asked as a bound: "au-dessus de 120 m³" is the band that starts past 120, "moins de 500 €" the one below
_PAST_BOUND_RE = re.compile(r"(?:au[- ]dessus d[e']|au[- ]dela d[e']|plus d[e']|superieure? a)\s*$")
_BELOW_BOUND_RE = re.compile(r"(?:en[- ]dessous d[e']|au[- ]dessous d[e']|moins d[e']|inferieure? a)\s*$")


def asked_in_range(question: str, text: str, *, bare: bool = False) -> bool:
    """Whether a number of the question falls in a range the text writes ("un quotient familial de 700 €": the
    row "QF de 501 € à 800 € 2,35 €").

    >>> q = "Combien paie une famille dont le quotient familial est de 1 000 € ?"
    >>> asked_in_range(q, "QF de 801 € à 1 200 € 3,10 €"), asked_in_range(q, "QF de 501 € à 800 € 2,35 €")
    (True, False)
    >>> asked_in_range("Quel est le prix pour la tranche 4 ?", "Tranche 1 : de 0 à 120 m³ 1,32 € / m³")
    False
    >>> q = "Combien paie-t-on le m³ au-dessus de 120 m³ ?"
    >>> asked_in_range(q, "Tranche 1 : de 0 à 120 m³ 1,38 €"), asked_in_range(q, "Tranche 2 : de 121 à 600 m³ 1,61 €")
    (False, True)
    >>> asked_in_range("Quel prix pour les 120 premiers m³ ?", "Tranche 1 : de 0 à 120 m³ inclus 1,38 €")
    True
    >>> q = "Combien coûte une place pour un voilier de 9 mètres ?"
    >>> asked_in_range(q, "De 8,00 m à 9,99 m 1 565 € 1 615 €"), asked_in_range(q, "De 10,00 m à 11,99 m 1 790 €")
    (True, False)
    """
    folded = fold(text)
    return any(in_range(number, folded, bare=bare) for number in _quantities(question))


def _quantities(question: str) -> list[str]:
    """The quantities the question gives with their unit, digits only: "1 000 €" -> "1000"."""
    text = re.sub(r"[\s\u202f\xa0]+", " ", question.lower())
    found = []
    for match in _QUESTION_NUMBER_RE.finditer(text):
        number = match.group(1).replace(" ", "").replace(".", "")
        before = fold(text[max(0, match.start() - 20) : match.start()])
        if re.fullmatch(r"\d+", number) and _PAST_BOUND_RE.search(before):
            number = str(int(number) + 1)  # "au-dessus de 120 m³": the band "de 121 à 600 m³"
        elif re.fullmatch(r"\d+", number) and int(number) > 0 and _BELOW_BOUND_RE.search(before):
            number = str(int(number) - 1)
        found.append(number)
    return found


def other_range(question: str, text: str) -> bool:
    """Whether the text writes ranges of a quantity the question gives, none of which holds it: the row "QF de 801 € à
    1 200 € 3,10 €" is no answer for a family whose quotient is 700 €.

    >>> q = "Combien paie une famille dont le quotient familial est de 700 € ?"
    >>> other_range(q, "QF de 801 € à 1 200 € 3,10 €"), other_range(q, "QF de 501 € à 800 € 2,35 €")
    (True, False)
    >>> other_range(q, "le repas est à 3,10 €"), other_range("Quel est le prix du repas ?", "QF de 801 € à 1 200 €")
    (False, False)
    """
    folded = fold(text)
    if not writes_range(folded):
        return False
    written = re.sub(r"(?<=\d)[ .](?=\d{3}\b)", "", folded)
    return any(
        not in_range(number, folded) and not re.search(rf"(?<![\d,]){re.escape(number)}(?![\d]|,\d)", written)
        for number in _quantities(question)
    )


def rank(question: str, text: str, idf: Callable[[str], float] | None = None) -> tuple[int, int, float]:
    """How much of the question a line names: first how many of its rare names (the association, the
    person, the place asked about), then of its rare words, then the weight of all shared words, rare
    ones weighing more. In a table of subsidies, the row naming "RAIPONCE" outranks the sentence about
    "associations" and "montants"; a word is rare when its idf is close to the question's rarest."""
    wanted, names = _terms(question)
    shared = wanted & set(tokens(text))
    if any(t.isdigit() for t in shared):
        shared -= _other_unit_numbers(question, text)  # (a hot path: most lines share no number with the question)
    if idf is None:
        return len(shared & names), 0, float(len(shared))
    top = max((idf(t) for t in wanted), default=0.0)
    rare = {t for t in shared if idf(t) >= RARE_SHARE * top}
    return len(rare & names), len(rare), sum(idf(t) for t in shared)


# The unit a number is written with, on folded text: "30 ans", "30 %", "1 450 €", "12 h"
_UNIT_AFTER_RE = re.compile(
    r"(?<![\d,])(\d+)(?![\d,])\s*(€|euros?\b|%|pour ?cent\b|ans?\b|annees?\b|mois\b|jours?\b|semaines?\b|heures?\b"
    r"|h\b|minutes?\b|m[²³23]|m\b|metres?\b|km\b|kg\b|ha\b|hectares?\b|places?\b|personnes?\b|habitants?\b)"
)
_UNIT_NAMES = {
    "euro": "€",
    "euros": "€",
    "pour cent": "%",
    "pourcent": "%",
    "an": "ans",
    "annee": "ans",
    "annees": "ans",
    "jour": "jours",
    "semaine": "semaines",
    "heure": "h",
    "heures": "h",
    "minute": "minutes",
    "m2": "m²",
    "m3": "m³",
    "metre": "m",
    "metres": "m",
    "hectare": "ha",
    "hectares": "ha",
    "place": "places",
    "personne": "personnes",
    "habitant": "habitants",
}


def _units(text: str) -> dict[str, set[str]]:
    """The units each number of the text is written with ("30 ans" -> {"30": {"ans"}})."""
    found: dict[str, set[str]] = {}
    for match in _UNIT_AFTER_RE.finditer(fold(text)):
        unit = match.group(2)
        found.setdefault(match.group(1), set()).add(_UNIT_NAMES.get(unit, unit))
    return found


def _other_unit_numbers(question: str, text: str) -> set[str]:
    """The numbers the question writes with a unit that the text writes only with another ("J'ai 30 ans" is not met
    by "au taux de 30 %"): no word the two share.

    >>> sorted(_other_unit_numbers("J'ai 30 ans : combien coûte le pass ?", "au taux de 30 %, soit 658 200 €"))
    ['30']
    >>> _other_unit_numbers("J'ai 30 ans", "Pass 26 à 30 ans"), _other_unit_numbers("J'ai 30 ans", "lot 30")
    (set(), set())
    """
    asked = _units(question)
    if not asked:
        return set()
    written = _units(text)
    return {number for number, units in asked.items() if number in written and not units & written[number]}


def names_more(question: str, line: str, than: str, idf: Callable[[str], float] | None = None) -> bool:
    """Whether `line` names more of the question than `than` does (see `rank`)."""
    return rank(question, line, idf) > rank(question, than, idf)


# Actions that undo each other: a question about posts created is not answered by the posts removed. (Buying
# and selling are not among them: "promettant de céder à la Ville" is the city buying.)
_OPPOSITES: tuple[tuple[str, str], ...] = (
    (r"\bcre(?:e|er|ee|es|ees|ation|ations)\b", r"\bsuppr(?:ime|imer|imee|imes|imees|ession|essions)\b"),
    (r"\baugment\w*|\bhausses?\b", r"\bdiminu\w*|\bbaisses?\b"),
    (r"\bouv(?:rir|ert|erte|erts|ertes|erture|re)\b", r"\bferm(?:e|er|ee|es|ees|eture)\b"),
)
_OPPOSITE_RES = tuple((re.compile(a), re.compile(b)) for a, b in _OPPOSITES)


def opposed(question: str, text: str) -> bool:
    """Whether the text tells the opposite of what the question asks: the question names one of two
    actions that undo each other (créer / supprimer, augmenter / diminuer, ouvrir / fermer), the text
    only the other. "Combien de postes de rédacteur sont créés ?" is not answered by
    "Rédacteur : Suppression de douze postes".

    >>> q = "Combien de postes de rédacteur sont créés au tableau des effectifs ?"
    >>> opposed(q, "Rédacteur : Suppression de douze postes"), opposed(q, "Rédacteur : Création de 10 postes")
    (True, False)
    >>> opposed("Combien de postes sont supprimés ?", "Création de six postes"), opposed("Combien de postes ?", "Suppression")
    (True, False)
    """
    asked, said = fold(question), fold(text)
    for one, other in _OPPOSITE_RES:
        for wanted, unwanted in ((one, other), (other, one)):
            if (
                wanted.search(asked)
                and not unwanted.search(asked)
                and unwanted.search(said)
                and not wanted.search(said)
            ):
                return True
    return False


# A name numbered by a Roman numeral ("l'Université Montpellier I", "Paris VIII"): the numeral tells one of several.
_NUMBERED_NAME_RE = re.compile(r"\b([A-ZÀ-Ý][a-zà-ÿ]{2,})\s+((?:X{0,3})(?:IX|IV|V?I{0,3}))(?![\w'’-])")


def numbered_names(text: str) -> list[tuple[str, str]]:
    """The names a text numbers with a Roman numeral, each with its numeral.

    >>> numbered_names("Qui est titulaire au conseil de l'Université Montpellier I ?")
    [('montpellier', 'I')]
    >>> numbered_names("Université Montpellier III Titulaire : - Samira SALOMON"), numbered_names("Montpellier Infirmières")
    ([('montpellier', 'III')], [])
    """
    return [(fold(m.group(1)).lower(), m.group(2)) for m in _NUMBERED_NAME_RE.finditer(text) if m.group(2)]


def other_numbered(question: str, text: str) -> bool:
    """Whether the text numbers a name the question numbers with other numerals only: "Université Montpellier III"
    is no answer about "l'Université Montpellier I".

    >>> q = "Qui est titulaire pour la ville au conseil d'administration de l'Université Montpellier I ?"
    >>> other_numbered(q, "Université Montpellier III Titulaire : - Samira SALOMON")
    True
    >>> other_numbered(q, "Conseil d'administration Université Montpellier I Titulaire : -Mylène CHARDES")
    False
    >>> other_numbered(q, "Université Montpellier I et Montpellier III"), other_numbered(q, "La Ville de Montpellier")
    (False, False)
    >>> q = "Qui a été élu premier adjoint au maire ?"
    >>> other_numbered(q, "démission de ses fonctions de troisième adjoint"), other_numbered(q, "élu 1er adjoint")
    (True, False)
    """
    asked = numbered_names(question) + ordinal_nouns(question)
    if not asked:
        return False
    written = numbered_names(text) + ordinal_nouns(text)
    return any(any(n == name for n, _ in written) and (name, numeral) not in written for name, numeral in asked)


_ORDINALS = {
    "premier": "1", "premiere": "1", "1er": "1", "1ere": "1", "1re": "1",
    "deuxieme": "2", "second": "2", "seconde": "2", "2e": "2", "2eme": "2",
    "troisieme": "3", "3e": "3", "3eme": "3", "quatrieme": "4", "4e": "4", "4eme": "4",
    "cinquieme": "5", "5e": "5", "5eme": "5", "sixieme": "6", "6e": "6", "6eme": "6",
    "septieme": "7", "7e": "7", "huitieme": "8", "8e": "8", "neuvieme": "9", "dixieme": "10",
}  # fmt: skip
_ORDINAL_RE = re.compile(r"\b(" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + r")\s+([a-z]{4,})\b")


def ordinal_nouns(text: str) -> list[tuple[str, str]]:
    """The nouns a text numbers with an ordinal, each with its number: "le premier adjoint" -> ("adjoint", "1").

    >>> ordinal_nouns("Qui a été élu premier adjoint ?"), ordinal_nouns("est élue troisième adjointe au maire")
    ([('adjoint', '1')], [('adjoint', '3')])
    """
    found = []
    for match in _ORDINAL_RE.finditer(fold(text)):
        stems = tokens(match.group(2))
        if stems:
            found.append((stems[0], _ORDINALS[match.group(1)]))
    return found


_HEAD_RE = re.compile(r"\bquel(?:le)?s? ([a-z]{3,})\b")


_MONEY_ASKED_RE = re.compile(
    r"\bcombien (?:coute|coutent|paie|paye|paient|payent|rapporte|rembourse|de subvention|d'euros|d'argent"
    r"|faut-il payer|ca coute|a ete (?:accorde|verse|attribue)|recoi[st]|recoivent|touche|vaut|valent|valait)|\bquel(?:le)?s? (?:montant|tarif|prix|cout"
    r"|somme|budget|subvention|indemnite|redevance|loyer|cotisation|participation|dotation|enveloppe|aide|forfait)\b"
    r"|\ba quel prix\b|\bcombien\b.*\b(?:euros?\b|€)|\ba combien (?!de\b|d')"
    r"|\bquel(?:le)?s? (?:avance|estimation|prime|allocation|frais|depenses?|recettes?|plafond)\b|\bque (?:coute|paie|paye)\b"
    r"|\bcombien\b(?! de\b| d')[^?]*\b(?:verse|donne|alloue|accorde|attribue|octroie|finance|avance|prete|depense|investit|coute(?:-t)?|coutent|coutera|couteront)\b"
)
_MONEY_RE = re.compile(
    r"\d(?:[\d \u00a0\u202f.,'’]*\d)?\s?" + _MAGNITUDE + r"(?:€|euros?\b|eur\b|k€|m€|centimes?\b)", re.IGNORECASE
)


# A question on who was awarded something (a lot, a market, a contract): a company is a "qui" too.
_AWARDED_RE = re.compile(
    r"\b(?:remporte|attribuee?s?|adjugee?s?|confiee?s?|retenue?s?|laureate?s?|obtenue?s?|decroche|gagne"
    # who does the work or supplies the goods of a market ("qui fournit la viande", "qui s'occupe des menuiseries")
    r"|fourni(?:t|ssent|ra|ront)|offre(?:nt)?|offert|offrira|prete(?:nt)?|sponsorise(?:nt)?|mecene"
    r"|livre(?:nt|ra|ront)?|s'occupe(?:nt|ra|ront)?|realise(?:nt|ra|ront)?|effectue(?:nt|ra|ront)?"
    r"|refai(?:t|re)|refera|construi(?:t|ra|re)|installe(?:ra)?|entretien(?:t|dra)|nettoie(?:ra)?|equipe(?:ra)?"
    # who receives or runs something: a body as often as a person ("qui récupère les ordinateurs réformés")
    r"|recupere(?:nt|ra|ront)?|recoi(?:t|vent)|recevra|beneficie(?:nt|ra|ront)?|gere(?:nt|ra|ront)?"
    r"|exploite(?:nt|ra|ront)?|recycle(?:nt|ra|ront)?|accueille(?:nt|ra|ront)?|organise(?:nt|ra|ront)?)\b"
)


def awarded(question: str) -> bool:
    """Whether a "qui" question asks who was awarded something (a lot, a market): a company answers it too.

    >>> awarded("Qui a remporté le lot menuiseries intérieures ?"), awarded("Qui a été élu maire ?")
    (True, False)
    >>> awarded("Qui récupère les ordinateurs et imprimantes réformés de la mairie pour les recycler ?")
    True
    """
    return bool(_AWARDED_RE.search(fold(question)))


def asks_money(question: str) -> bool:
    """Whether the question asks a sum of money ("combien coûte", "combien IBM investit-il"), not any figure with a
    unit ("3km" is no sum).

    >>> asks_money("Combien IBM investit-il dans l'extension de son site ?"), asks_money("Quelle est la surface ?")
    (True, False)
    """
    return bool(_MONEY_ASKED_RE.search(_COPULA_RE.sub(r"\1 ", fold(question))))


def gives_asked(question: str, kind: str, sentence: str) -> bool:
    """`gives`, and for a question asking a sum of money ("Combien coûtent les vestiaires ?", "À quel prix
    ..."), a sum in euros or a price without figures ("à l'euro symbolique", "à titre gratuit"): "112 m²" or
    "2014 m²" is an amount, not a price.

    >>> q = "Combien coûtent les vestiaires et locaux modulaires du terrain Astruc ?"
    >>> gives_asked(q, AMOUNT, "d’une surface totale de 112 m²"), gives_asked(q, AMOUNT, "pour un coût de 95 000 € HT")
    (False, True)
    >>> gives_asked("À quel prix la Ville acquiert-elle le terrain ?", AMOUNT, "d’acquérir ce terrain à l’euro symbolique")
    True
    >>> gives_asked("Quelle est la surface des locaux ?", AMOUNT, "d’une surface totale de 112 m²")
    True
    >>> q = "Quel est le taux fixe du prêt du Crédit Agricole à la SERM ?"
    >>> gives_asked(q, AMOUNT, "- 2 500 000 € auprès du CREDIT AGRICOLE aux conditions suivantes :"), gives_asked(q, AMOUNT, "Taux fixe : 2.30 %")
    (False, True)
    >>> gives_asked(q, AMOUNT, "D’accorder la garantie de la Ville à hauteur de 80 % des emprunts")
    False
    >>> gives_asked("Quel est le taux horaire des vacations ?", AMOUNT, "rémunérées 15 € de l'heure")
    True
    >>> q = "Quels frais de gestion le centre prend-il pour un agent de remplacement ?"
    >>> gives_asked(q, AMOUNT, "passent de 7,5 % à 8 % du coût salarial chargé"), gives_asked(q, AMOUNT, "8 agents")
    (True, False)
    >>> gives_asked("Quel est le montant minimum de la redevance ?", AMOUNT, "la redevance est de 7 % du chiffre")
    False
    >>> q = "Qui a remporté le lot menuiseries intérieures de la salle de boxe Jean Farré ?"
    >>> gives_asked(q, PERSON, "Lot 6 - menuiserie intérieures ATELIER DUCROT 15 545,00")
    True
    >>> q = "Qui s'est abstenu sur la concertation de l'aire piétonne ?"
    >>> gives_asked(q, PERSON, "Abstention : 1 (NPA M. Viguié)"), gives_asked(q, PERSON, "AIRE PIETONNE Secteur Cours Gambetta")
    (True, False)
    """
    folded = _COPULA_RE.sub(r"\1 ", fold(question))
    if kind == AMOUNT and _MONEY_ASKED_RE.search(folded):
        # a levy is often a share of what it is levied on: "frais de gestion ... 8 % du coût salarial chargé"
        levy = _LEVY_ASKED_RE.search(folded) and _SHARE_OF_RE.search(sentence)
        return bool(_MONEY_RE.search(sentence) or _FREE_RE.search(sentence) or levy)
    if kind == AMOUNT and _SHARE_ASKED_RE.search(folded):
        # "dans quelle proportion": a percentage ("à hauteur de 80 %")
        return bool(re.search(r"\d\s?%|\bpour ?cent\b", sentence, re.IGNORECASE))
    if kind == AMOUNT and _RATE_ASKED_RE.search(folded):
        # "quel taux": a percentage, not the loan's "2 500 000 €", nor the share a guarantee covers ("à hauteur de
        # 80 %"): that is a part of the loan, not its rate
        return any(not _SHARE_RE.search(sentence[: m.start()]) for m in _RATE_RE.finditer(sentence))
    if kind == PERSON and awarded(question):
        # "qui a remporté le lot", "à qui a été attribué le marché": a company answers as well as a person, or a
        # body named by its capitalised words ("les Vignerons du Pic Saint Loup ... mettront à disposition")
        return (
            gives(PERSON, sentence)
            or gives(ORGANISATION, sentence)
            or bool(_PROPER_GROUP_RE.search(sentence) and _GIVING_RE.search(fold(sentence)))
        )
    if kind == PERSON and _VOTERS_ASKED_RE.search(folded):
        # "qui s'est abstenu": the names of the vote line that counts them ("Abstention : 1 (NPA M. Viguié)")
        return bool(_VOTERS_RE.search(sentence)) and gives(PERSON, sentence)
    return gives(kind, sentence)


# A body named by capitalised words after an article: "les Vignerons du Pic Saint Loup", "la Compagnie des Bus".
_PROPER_GROUP_RE = re.compile(
    r"\b(?:[Ll]es?|[Ll]a|[Ll]['’])\s*[A-ZÀ-Ý][a-zà-ÿ]{2,}(?:\s+(?:du|de|des|d['’]|de la)?\s*[A-ZÀ-Ý][\w-]+){2,}"
)


# Giving or lending something: what a body named by its words alone does in the sentence that answers "qui offre".
_GIVING_RE = re.compile(
    r"\b(?:offr(?:ent|ir|ira|iront|ait|aient)|offerte?s?|fourni(?:t|ssent|ra|ront|ssait)|mett\w* a (?:la )?disposition|mis\w* a (?:la )?disposition|pret\w*|don\w*"
    r"|financ\w*|sponsoris\w*|parrain\w*)\b"
)


# Who voted against, abstained or took no part: answered by the vote line naming them.
_VOTERS_ASKED_RE = re.compile(
    r"\bqui (?:s'est|se sont) abstenue?s?\b|\bqui (?:a|ont) vote contre\b|\bqui (?:n'a|n'ont) pas (?:pris part|participe)"
)
_VOTERS_RE = re.compile(r"(?i:\babstention|\bcontre\s*:|\bpas part\b|\bne participe)")


# A rate asked ("À quel taux d'intérêt ...", "Quel est le taux fixe ...") is answered by a percentage or an index
# plus a margin ("EURIBOR 3 MOIS + 1.42%", "Livret A + 60 pdb").
# (an hourly or daily rate is a sum: "taux horaire", "taux de vacation")
_RATE_ASKED_RE = re.compile(
    r"\b(?:a )?quel(?:le)?s? (?:taux(?! (?:horaire|journalier|de (?:la )?vacation|de l'heure))|pourcentage|quotite)\b"
)
# What is levied as a share of a base as often as in euros (folded), and a share of a base: "8 % du coût salarial"
# (asked as itself, "quels frais de gestion", not "le montant minimum garanti de la redevance": a sum in euros)
_LEVY_ASKED_RE = re.compile(
    r"\bquel(?:le)?s? (?:sont |est )?(?:les |le |la )?(?:frais|cotisations?|commissions?|participations?|contributions?"
    r"|redevances?)\b"
)
_SHARE_OF_RE = re.compile(r"\d\s?%\s+(?:du|de la|de l['’]|des)\s", re.IGNORECASE)
_SHARE_ASKED_RE = re.compile(r"\bquel(?:le)?s? proportion\b|\ben quelle proportion\b")
_SHARE_RE = re.compile(r"(?i:hauteur\s+(?:de\s+|d['’]\s*)?(?:\d[\d\s,.]*)?)$")
_RATE_RE = re.compile(
    r"\d\s?[%‰]|\bpour ?(?:cent|mille)\b|\d\s?(?:pdb|points? de base|bp)\b|\b(?:euribor|livret a|eonia|€str|tag|taeg)\b",
    re.IGNORECASE,
)


UNIT_STEMS = frozenset(tokens("m2 m3 km kg ha kwh mwh litres tonnes"))  # what a value is counted in ("le prix du m3")
NAMED_VALUE = 2  # question words right before a value that make it the value asked (one may be a passing word)
LABEL_WORDS = 4  # words read before a value for what it is the value of ("tous risques CNRACL à 7,40 %")
_LOCATED = {AMOUNT: _AMOUNT_RE, DURATION: _DURATION_RE, HOUR: HOUR_RE}


def value_named(question: str, kind: str, sentence: str) -> int:
    """How many of the question's words sit right before a value of the kind asked (at most LABEL_WORDS words
    before it; the best value counts): "tous risques CNRACL à 7,40 %" gives the rate of the CNRACL risks, "une
    contribution fixée à 0,25 % de la masse salariale CNRACL" gives a contribution's (CNRACL comes after it).

    >>> q = "À quel taux sont couverts les risques CNRACL dans le contrat d'assurance statutaire ?"
    >>> value_named(q, AMOUNT, "Nature des prestations : tous risques CNRACL à 7,40 % avec franchise de 10 jours")
    2
    >>> value_named(q, AMOUNT, "la collectivité verse une contribution fixée à 0,25 % de la masse salariale CNRACL")
    0
    >>> value_named(q, AMOUNT, "au taux de 3 %")  # the word asked for is no label of its own
    0
    """
    pattern = _LOCATED.get(kind)
    if pattern is None:
        return 0
    # "taux de 3 %" is any rate, "le m3 d'eau à 1.02 €" any price per m3: what the value is of counts
    wanted = set(tokens(question)) - {head_noun(question)} - UNIT_STEMS
    best = 0
    for match in pattern.finditer(sentence):
        # the last LABEL_WORDS words that carry meaning ("est prolongée pour une durée d'1 an": "prolongée" and
        # "durée" name it, "pour une d'" do not)
        before = tokens(" ".join(re.findall(r"[^\W\d_][\w'’-]*", sentence[: match.start()])))[-LABEL_WORDS:]
        best = max(best, len(wanted & set(before)))
    return best


NEAR_WORDS = 8  # content words read on each side of a value for what it is the value of
_WORD_SPAN_RE = re.compile(r"[^\W_][\w'’-]*")
_WH_RE = re.compile(r"\b(?:quel(?:le)?s?|combien|qui|quand|lequel|laquelle|lesquel(?:le)?s)\b")
# the preposition that introduces the value asked ("signée pour combien de temps": "conclue pour un an")
_SLOT_WORDS = frozenset(
    [
        "a",
        "avec",
        "dans",
        "pour",
        "par",
        "sur",
        "depuis",
        "pendant",
        "jusqu'a",
        "apres",
        "avant",
        "vers",
        "chez",
        "entre",
        "contre",
    ]
)
_VALUE_RES = {
    AMOUNT: _AMOUNT_RE,
    DURATION: _DURATION_RE,
    HOUR: HOUR_RE,
    LEVEL: _LEVEL_RE,
    FREQUENCY: _FREQUENCY_RE,
    VOTE: _VOTE_RE,
}  # (and DATE, NUMBER: values; a name or an opinion is read by the rows and lists that hold them)
NEAR_KINDS = frozenset(_VALUE_RES) | {DATE, NUMBER}


def slot_word(question: str) -> str | None:
    """The preposition right before the question's interrogative word ("pour combien de temps" -> "pour", "À quel
    taux" -> "a", "Avec quels auteurs" -> "avec"): the word that introduces the value in the sentence that gives it.

    >>> slot_word("La convention, elle est signée pour combien de temps ?"), slot_word("Combien coûte le repas ?")
    ('pour', None)
    """
    folded = fold(question)
    match = _WH_RE.search(folded)
    if match is None:
        return None
    before = folded[: match.start()].split()
    return before[-1] if before and before[-1] in _SLOT_WORDS else None


_QUEL_RE = re.compile(r"\bquel(?:le)?s?\b")
_FRAME_WORD_RE = re.compile(r"[a-z0-9][a-z0-9-]*")


def frames(question: str) -> list[tuple[str, ...]]:
    """The words of the question that frame the thing asked, as a sentence giving it would write them before it: the
    noun and its complement after "quel" ("Sur quelle ligne de crédit ..." -> "ligne de credit": "ligne de crédit
    20291"), and the noun before "de quel" ("l'équivalent de quels organismes" -> "equivalent": "l'équivalent du
    CERTU"). Folded words; empty when the question has no "quel".

    >>> frames("Sur quelle ligne de crédit passe la dépense ?")
    [('ligne', 'de', 'credit')]
    >>> frames("Plante et Cité se veut l'équivalent de quels organismes, pour les espaces verts ?")
    [('organismes',), ('equivalent',)]
    >>> frames("Combien coûte le repas ?")
    []
    """
    folded = _COPULA_RE.sub(r"\1 ", fold(question))
    match = _QUEL_RE.search(folded)
    if match is None:
        return []
    after = _FRAME_WORD_RE.findall(folded[match.end() :])
    before = _FRAME_WORD_RE.findall(folded[: match.start()].replace("'", " "))
    out: list[tuple[str, ...]] = []
    if after and len(after[0]) >= 3:
        head = (after[0], *after[1:3]) if len(after) >= 3 and after[1] in ("de", "d") else (after[0],)
        out.append(head)
    if len(before) >= 2 and before[-1] in ("de", "du", "des", "d") and len(before[-2]) >= 4:
        out.append((before[-2],))
    return out


def value_spans(question: str, kind: str, sentence: str) -> list[tuple[int, int]]:
    """Where the values of the kind asked sit in the sentence (for a sum of money, the sums only)."""
    if kind == AMOUNT and asks_money(question):
        pattern: re.Pattern[str] | None = _MONEY_RE
    else:
        pattern = _VALUE_RES.get(kind)
    if kind == DATE:
        spans = []
        for raw, _ in extract_facts(sentence, with_names=False).dates:
            at = sentence.find(raw)
            if at >= 0:
                spans.append((at, at + len(raw)))
        return spans
    if kind == NUMBER:
        pattern = _NUMBER_RE
    if pattern is None:
        return []
    return [(m.start(), m.end()) for m in pattern.finditer(sentence) if m.group(0).strip()]


def value_near(
    question: str,
    kind: str,
    sentence: str,
    idf: Callable[[str], float] | None = None,
    before: str = "",
    after: str = "",
) -> tuple[int, int, float]:
    """How much of the question sits next to a value of the kind asked in the sentence (NEAR_WORDS words on each
    side; the best value counts): whether the question's preposition introduces the value (`slot_word`), then how
    many of the question's words are there (those `idf` weighs: not its scope) and their weight. "Cette convention est
    conclue pour un an" gives how long the convention lasts; "une attestation de la CAF datant de moins de trois
    mois", in the same record, the age of a document; "Le coût du projet ... s'élève pour la Ville à 10,8 millions
    d'euros" what the Panacée costs the town, "pour la réalisation du Centre d'Art Contemporain la Panacée, pour un
    montant de 167 224 € au titre de la dernière phase de travaux" a grant asked. `before` and `after`: the passage's
    text around the sentence, read as the window goes on ("DIMANCHE 25 MAI" is the day of the line under it).

    >>> q = "La convention Cafpro avec la CAF, elle est signée pour combien de temps ?"
    >>> value_near(q, DURATION, "Cette convention est conclue pour un an renouvelable.")[:2]
    (1, 1)
    >>> value_near(q, DURATION, "une attestation de la CAF datant de moins de trois mois")[:2]
    (0, 1)
    >>> q = "Au final, combien la Panacée coûte-t-elle à la ville ?"
    >>> value_near(q, AMOUNT, "Le coût du projet, qui sera achevé en 2013, s’élève pour la Ville à 10,8 millions d’euros.")[:2]
    (0, 2)
    >>> value_near(q, AMOUNT, "du Centre d’Art Contemporain la Panacée, pour un montant de 167 224 € au titre de la dernière phase")[:2]
    (0, 1)
    >>> value_near(q, AMOUNT, "La Panacée ouvrira en juin.")
    (0, 0, 0.0)
    """
    slot = slot_word(question)
    wanted = _terms(question)[0] - UNIT_STEMS
    best = (0, 0, 0.0)
    for start, end in value_spans(question, kind, sentence):
        left = _WORD_SPAN_RE.findall(f"{before} {sentence[:start]}")
        right = _WORD_SPAN_RE.findall(f"{sentence[end:]} {after}")
        # (content words: "Le coût du projet, qui sera achevé en 2013, s'élève pour la Ville à" is near enough)
        shared = list(wanted & set(tokens(" ".join(left))[-NEAR_WORDS:] + tokens(" ".join(right))[:NEAR_WORDS]))
        weights = [idf(t) if idf is not None else 1.0 for t in shared]
        framed = int(bool(slot) and slot in [fold(w) for w in left[-2:]])
        best = max(best, (framed, sum(1 for w in weights if w > 0), sum(weights)))
    return best


# A thing the question names by its number ("l'article 2181", "le lot n° 2", "la parcelle 123"); not a year, a date,
# an amount or a count ("en 2022", "du 01 juin", "de 50 ans").
_REFERENCE_RE = re.compile(r"\b([a-z]{3,})\.?\s+(?:n\s?°?\s?|no\.?\s?)?(\d{1,6}[a-z]?)\b(?!\s?(?:%|€|euros?\b|[.,]\d))")
_NOT_REFERENCES = frozenset(
    [
        "les",
        "des",
        "aux",
        "pour",
        "sur",
        "dans",
        "avec",
        "vers",
        "depuis",
        "avant",
        "apres",
        "entre",
        "par",
        "une",
        "sous",
        "soit",
        "contre",
        "plus",
        "moins",
        "environ",
    ]
)


@lru_cache(maxsize=256)
def references(question: str) -> tuple[tuple[str, str], ...]:
    """(word, number) of the things the question names by their number.

    >>> references("Quelles dépenses Flaux mandate-t-elle sur l'article 2181 avant le vote du budget 2023 ?")
    (('article', '2181'),)
    >>> references("Qui a obtenu le lot n° 2 ?"), references("Combien pour 50 ans ?"), references("du 01 juin")
    ((('lot', '2'),), (), ())
    """
    out: list[tuple[str, str]] = []
    for word, number in _REFERENCE_RE.findall(fold(question).lower()):
        year = len(number) == 4 and number[:2] in ("19", "20")
        if word not in _NOT_REFERENCES and not year and word not in _MONTHS:
            out.append((word, number.lstrip("0") or "0"))
    return tuple(out)


_MONTHS = frozenset(
    [
        "janvier",
        "fevrier",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "aout",
        "septembre",
        "octobre",
        "novembre",
        "decembre",
    ]
)


def names_reference(question: str, line: str) -> bool:
    """Whether the line writes a thing the question names by its number, with its word: "Chapitre 21 - article 2181
    20 000 €" for "l'article 2181" (not "article 21534").

    >>> q = "Quelles dépenses Flaux mandate-t-elle sur l'article 2181 ?"
    >>> names_reference(q, "Chapitre 21 - article 2181 20 000 €"), names_reference(q, "- article 21534 2 500 €")
    (True, False)
    """
    folded = fold(line).lower()
    return any(
        re.search(
            rf"\b{re.escape(word[:5])}\w*\.?\s+(?:n\s?°?\s?|no\.?\s?)?0*{re.escape(number)}(?![\d,.]\d)\b", folded
        )
        for word, number in references(question)
    )


_FREE_RE = re.compile(r"\beuros?\s+symboliques?\b|\b[àa]\s+titre\s+gratuit|\bgratuit(?:e|s|es|ement)?\b", re.IGNORECASE)


VALUE_KINDS = frozenset({AMOUNT, NUMBER, DURATION, DATE, LEVEL})  # answered by a value a row's label may name


def head_noun(question: str) -> str | None:
    """The stem of the noun after "quel" ("À quel taux ...", "Quelle est la durée ..."): what the answer is a
    value of; a line holding that word ("Taux fixe 0.53 %") gives it, one with another figure may not.

    >>> head_noun("À quel taux la commune a-t-elle emprunté ?") == tokens("taux")[0], head_noun("Combien ?")
    (True, None)
    """
    folded = _COPULA_RE.sub(r"\1 ", fold(question).strip())
    match = _HEAD_RE.search(folded)
    stems = tokens(match.group(1)) if match else []
    return stems[0] if stems else None


def label_fits(question: str, line: str) -> bool:
    """Whether the line is a labelled row ("Rédacteur : Création de 10 postes") whose label the question
    names whole: every word of "Rédacteur" is asked, not every word of "Rédacteur principal de 2ème classe".

    >>> q = "Combien de postes de rédacteur sont créés ?"
    >>> label_fits(q, "Rédacteur : Création de 10 postes"), label_fits(q, "Rédacteur principal de 2ème classe : Création de six postes")
    (True, False)
    >>> label_fits(q, "Création de 10 postes")
    False
    """
    label, colon, _ = line.partition(":")
    stems = set(tokens(label))
    return bool(colon and stems) and len(label) <= LABEL_CHARS and stems <= set(tokens(question))


LABEL_CHARS = 60
_COUNTED_RE = re.compile(r"\b(?:combien|nombre) d(?:e\s+|')(?:[«\"]\s*)?([a-z][\w-]*)")
_COUNT_RE = re.compile(
    r"(?<![\w,.])(\d+|(?!une?\b)" + NUMBER_IN_WORDS + r")"  # ("un", "une": articles more often than counts)
    r"\s+(?:[\w'-]+\s+){0,2}?([a-z][\w-]*)"
)


def counted(question: str) -> str | None:
    """The stem of what a "combien de ..." question counts ("Combien de noms ..." -> the stem of "noms")."""
    match = _COUNTED_RE.search(fold(question))
    if not match:
        return None
    stems = tokens(match.group(1))
    return stems[0] if stems else None


def counts(sentence: str, stem: str) -> bool:
    """Whether the sentence gives a count of what is counted: "une liste de 24 noms", "cinq membres",
    "788 pour" (a number, then at most two words, then the counted word).

    >>> counts("le maire dresse une liste de 24 noms :", counted("Combien de noms a-t-il proposés ?") or "")
    True
    >>> counts("le 19 octobre 2020", counted("Combien de noms a-t-il proposés ?") or "")
    False
    >>> counts("comptabilisera sur son site jusqu’à treize personnes", counted("Combien de personnes y travaillent ?") or "")
    True
    """
    folded = fold(sentence)
    for start in range(len(folded)):
        match = _COUNT_RE.match(folded, start)
        if match and stem in tokens(match.group(2)):
            return True
    return False


def reference_numbers(question: str) -> list[tuple[str, str]]:
    """The numbers the question gives a thing with "n°" ("la décision modificative n°2", "le lot n° 17A",
    "l'avenant n°1"), each with the word before it (folded); not a deliberation's number ("n° 2014/300": rag.scope
    reads it).

    >>> reference_numbers("Qui a voté contre l'avenant n°2 de la délégation et le lot n° 17A ?")
    [('avenant', '2'), ('lot', '17a')]
    """
    text = question.replace("\u2019", "'")
    found = [
        (fold(m["noun"]).lower().split("'")[-1], m["ref"].lower().lstrip("0") or "0")
        for m in _NUMBERED_RE.finditer(text)
    ]
    return [(noun, ref) for noun, ref in found if not noun.startswith("delib")]  # a deliberation's: rag.scope


_NUMBERED_RE = re.compile(
    r"(?P<noun>[^\W\d_][\w'-]*)\s+(?:n\s?[°º]|num[ée]ro)\s?(?P<ref>\d+[A-Za-z]?)\b(?![/-]\d)", re.IGNORECASE
)


def reference_written(noun: str, ref: str, text: str) -> bool:
    """Whether the text writes this number as a thing's number: "n°2", "n° 2", "numéro 2", "avenant 2", "2ème avenant"."""
    folded = fold(text).lower()
    number = rf"0*{re.escape(ref)}(?![\w])"
    head = re.escape(noun[:REFERENCE_HEAD])
    return bool(
        re.search(rf"(?:\bn\s?[°º]?|\bno\.?|\bnumero)\s?{number}", folded)
        or re.search(rf"\b{head}\w*\s+{number}", folded)
        or re.search(rf"(?<![\w]){number}\s?(?:e|er|eme|ieme|nd)\s+{head}", folded)
    )


def other_reference(noun: str, ref: str, text: str) -> bool:
    """Whether the text gives the same kind of thing another number and never this one ("le lot n°2" quoted for "le
    lot n°1").

    >>> other_reference("lot", "2", "Lot n°1  à la société COMMERCIALE CITROEN"), other_reference("lot", "9", "Lot n°3 , 4, 6, 8 et 9")
    (True, False)
    """
    folded = fold(text).lower()
    head = re.escape(noun[:REFERENCE_HEAD])
    others = {
        number.lstrip("0") or "0"
        for listed in re.findall(
            rf"\b{head}\w*\s+(?:n\s?[°º]?|no\.?|numero)?\s?(\d+[a-z]?(?:\s?(?:,|et)\s?\d+[a-z]?)*)(?![\w/-])", folded
        )
        for number in re.findall(r"\d+[a-z]?", listed)
    }  # "Lot n°3 , 4, 6, 8 et 9 à la société ...": lots 3 to 9
    return bool(others) and ref not in others and not reference_written(noun, ref, text)


def item_numbers(question: str) -> list[tuple[str, str]]:
    """`reference_numbers`, and the lots, amendments and tranches a question numbers without "n°" ("le lot 2").

    >>> item_numbers("À qui a été attribué le lot 2 (citadines) du marché ?")
    [('lot', '2')]
    """
    found = reference_numbers(question)
    found += [
        (m["noun"].lower(), m["ref"].lstrip("0") or "0")
        for m in _BARE_ITEM_RE.finditer(fold(question))
        if (m["noun"].lower(), m["ref"].lstrip("0") or "0") not in found
    ]
    return found


_BARE_ITEM_RE = re.compile(r"\b(?P<noun>lots?|avenants?|tranches?)\s+(?P<ref>\d{1,3}[a-z]?)\b(?!\s?(?:€|%|euros?))")
REFERENCE_HEAD = 4  # "lot", "lots": one kind of thing when their first letters agree


# Who reports (presents) an item to the council: "qui rapporte la délibération", "quel élu a présenté ...", "le
# rapporteur"; answered by the item's "Monsieur El Kandoussi rapporte :" line.
_REPORTER_ASKED_RE = re.compile(r"\brapport(?:e|ent|eur|euse|ee?)\b|\b(?:a|ont) presente\b|\bqui presente\b")
_REPORTER_LINE_RE = re.compile(r"^[^:.]{3,80}?\s+rapporte\s*:?\s*$")
# The same line at the end of the record's title when the two were read as one sentence (no stop between them):
# "Approbation du programme pluriannuel d'accès à l'emploi titulaire Serge FLEURENCE rapporte :"; the name is the
# capitalised words (and a civility) just before "rapporte"
_REPORTER_TAIL_RE = re.compile(
    r"(?:^|\s)(?P<line>(?:(?:Monsieur|Madame|M\.|Mme)\s+)?(?:[A-ZÀ-Ý][\w'’-]*\s+){0,3}[A-ZÀ-Ý][\w'’-]+\s+rapporte\s*:?)\s*$"
)


def asks_reporter(question: str) -> bool:
    """Whether the question asks who reported (presented) an item to the council.

    >>> asks_reporter("Quel élu a présenté les modifications du tableau des effectifs ?"), asks_reporter("qui rapporte la délibération sur la piscine")
    (True, True)
    >>> asks_reporter("Qui représente la Ville au CCAS ?"), asks_reporter("Combien rapporte la redevance ?")
    (False, False)
    """
    folded = fold(question)
    return answer_type(question) == PERSON and bool(_REPORTER_ASKED_RE.search(folded))


def reporter_line(line: str) -> bool:
    """Whether the line names the item's reporter: "Monsieur El Kandoussi rapporte :", "Serge FLEURENCE rapporte :",
    also at the end of the record's title read with it (`reporter_part`).

    >>> reporter_line("Monsieur El Kandoussi rapporte :"), reporter_line("Le Conseil rapporte la délibération. Il rapporte :")
    (True, False)
    >>> reporter_line("Approbation du programme pluriannuel d'accès à l'emploi titulaire Serge FLEURENCE rapporte :")
    True
    """
    return bool(reporter_part(line))


def reporter_part(line: str) -> str:
    """The part of a line that names the item's reporter, "" when none: the whole line ("Monsieur El Kandoussi
    rapporte :"), or its end when the record's title was read with it.

    >>> reporter_part("Approbation du programme d'accès à l'emploi titulaire Serge FLEURENCE rapporte :")
    'Serge FLEURENCE rapporte :'
    >>> reporter_part("La commission rapporte :"), reporter_part("ce que la redevance rapporte :")
    ('', '')
    """
    line = " ".join(line.split())
    tail = _REPORTER_TAIL_RE.search(line)
    if tail is not None and gives(PERSON, tail["line"]):
        return tail["line"]
    return line if _REPORTER_LINE_RE.match(line) and gives(PERSON, line) else ""


# A second question joined to the first: "De quel pourcentage le marché a-t-il augmenté, et quel est son nouveau
# montant ?", "Le marché peut-il être reconduit, et jusqu'à quand ?".
_SECOND_PART_RE = re.compile(
    r",?\s+et\s+(?=(?:quel(?:le)?s?|combien|qui|quand|jusqu'(?:a|à)|(?:a|à|de|pour|sur) quel(?:le)?s?|o[uù]|comment"
    r"|(?:pour|depuis|en|dans|de|à|a) combien)\b)",
    re.IGNORECASE,
)


def question_parts(question: str) -> list[str]:
    """The questions a question joins ("..., et quel est son nouveau montant ?"): the first, then the second; the
    question alone when it asks one thing.

    >>> question_parts("De quel pourcentage le marché a-t-il augmenté, et quel est son nouveau montant ?")
    ['De quel pourcentage le marché a-t-il augmenté ?', 'quel est son nouveau montant ?']
    >>> question_parts("Qui sont les titulaires et les suppléants ?")
    ['Qui sont les titulaires et les suppléants ?']
    """
    match = _SECOND_PART_RE.search(question)
    if match is None or match.start() < MIN_PART_CHARS:
        return [question]
    first = question[: match.start()].rstrip(" ,?") + " ?"
    return [first, question[match.end() :].strip()]


MIN_PART_CHARS = 15


# A sentence stating that a value changes: "La participation de la Ville passe de 477 000€ à 504 000€", "évolue de
# 40 à 50 logements", "augmente de 1 351 744€ à 1 566 568€", "les plafonds ... sont ramenés à 4000€", "cette limite
# d'âge ... portée à soixante-dix-sept ans". What follows the last "à" is the value after the change.
_CHANGE_RE = re.compile(
    r"\b(?:passe(?:nt|ra|ront|rait|raient)?|passee?s?|evolue(?:nt|ra|ront|rait)?|augmente(?:nt|ra|ront|rait)?"
    r"|diminue(?:nt|ra|ront|rait)?|baisse(?:nt|ra|ront)?|progresse(?:nt|ra)?|varie(?:nt|ra)?)"
    r"\b[^.;:]{0,60}?\bde [^.;:]{1,60}? a (?=[^.;:]*\d|[^.;:]*\b(?:" + _NUMBER_WORD + r")\b)"
    r"|\b(?:portee?s?|ramenee?s?|relevee?s?|abaissee?s?|reduite?s?|augmentee?s?|diminuee?s?|passee?s?"
    r"|rehaussee?s?|(?:desormais|dorenavant) (?:fixee?s?|de|a))\s+(?:a|au|de)?\s*(?=[^.;:]*\d|[^.;:]*\b(?:"
    + _NUMBER_WORD
    + r")\b)"
)
# A question asking the value before a change: "quelle limite d'âge les statuts imposaient-ils", "l'ancien plafond",
# "le montant initial", "avant l'avenant".
_FORMER_ASKED_RE = re.compile(
    r"\b(?:anciens?|anciennes?|precedente?s?|initiale?s?|initiaux|auparavant|jusqu'alors|jusque-la|avant|d'origine"
    r"|au depart|[a-z]{2,}(?:ait|aient)(?:-(?:il|elle|ils|elles|on))?)\b"
)


def new_value(sentence: str) -> str | None:
    """The value a sentence says a thing changes to (the text after its last "à"), None when it states no change.

    >>> new_value("La participation de la Ville passe de 477 000€ à 504 000€.")
    '504 000€.'
    >>> new_value("Ainsi les plafonds de 5000€ et 7000€, respectivement pour les OPAH RU, sont ramenés à 4000€.")
    '4000€.'
    >>> new_value("une augmentation de cette limite d’âge afin qu’elle soit portée à soixante-dix-sept ans.")
    'soixante-dix-sept ans.'
    >>> new_value("Le montant de la subvention est de 4 000 €.") is None
    True
    """
    folded = _fold_chars(sentence)
    found = list(_CHANGE_RE.finditer(folded))
    if not found:
        return None
    return sentence[found[-1].end() :].strip() or None


def _fold_chars(text: str) -> str:
    """The text in lower case without accents, one character for one (positions are those of the text)."""
    out = []
    for char in text:
        bare = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        out.append(bare.lower() if len(bare) == 1 else char)
    return "".join(out).replace("’", "'")


_RECALLED_RE = re.compile(
    r"\brappel(?:le|lent|ons|ant)\b|\bpour memoire\b|\bprecedemment\b|\bjusqu'(?:a present|alors)\b"
)


def recalls(sentence: str) -> bool:
    """Whether a sentence recalls a value in force before ("Monsieur le Maire rappelle les tarifs de la cantine en
    2019/2020 - 3.30€"): the background of a decision, not what it decides.

    >>> recalls("Monsieur le Maire rappelle les tarifs de la cantine en 2019/2020 - 3.30€"), recalls("Tarif : 3.40€")
    (True, False)
    """
    return bool(_RECALLED_RE.search(fold(sentence)))


def asks_recalled(question: str) -> bool:
    """Whether the question asks a value recalled as the one before (`asks_former`), its copula aside: "le vote ...
    était-il unanime ?" asks about the vote, not a former one.

    >>> asks_recalled("Le vote sur les tarifs était-il unanime ?"), asks_recalled("Quel était l'ancien tarif ?")
    (False, True)
    """
    return asks_former(re.sub(r"\betai(?:t|ent)\b", "", fold(question)))


def asks_former(question: str) -> bool:
    """Whether the question asks the value before a change (an imperfect verb, "ancien", "initial", "avant").

    >>> asks_former("Quelle limite d'âge les statuts de la SERM imposaient-ils à son président ?")
    True
    >>> asks_former("Quel est le nouveau plafond de l'aide municipale ?"), asks_former("Quel était le minimum annuel ?")
    (False, True)
    """
    return bool(_FORMER_ASKED_RE.search(fold(question)))


def states_new(question: str, kind: str, sentence: str) -> bool:
    """Whether the sentence says a value of the kind asked changes to a new one, and the question does not ask the
    former value: the value after the change is the one in force ("combien la ville met-elle désormais", "jusqu'à
    quel âge pourra-t-il être désigné").

    >>> q = "Quel est le nouveau plafond de l'aide municipale pour les parties communes ?"
    >>> states_new(q, AMOUNT, "Ainsi les plafonds de 5000€ et 7000€ sont ramenés à 4000€.")
    True
    >>> states_new(q, AMOUNT, "Les plafonds sont de 5000€ et 7000€.")
    False
    """
    if kind not in (AMOUNT, NUMBER, DURATION, LEVEL, DATE) or asks_former(question):
        return False
    value = new_value(sentence)
    return value is not None and gives(kind, value)


def asks_yes_no(question: str) -> bool:
    """Whether the question asks yes or no ("Le règlement intérieur parle-t-il des groupes politiques ?").

    >>> asks_yes_no("Le règlement intérieur parle-t-il des groupes politiques ?")
    True
    >>> asks_yes_no("L'accompagnement RH devient-il gratuit pour les petites communes ?")
    True
    >>> asks_yes_no("À qui la ville a-t-elle vendu le terrain ?"), asks_yes_no("Quel est le montant ?")
    (False, False)
    """
    return bool(_YES_NO_RE.search(fold(question).strip()))


_INVERTED_RE = re.compile(r"\b[a-z]+-t-(?:il|elle|ils|elles|on)\b|\b[a-z]+-(?:il|elle|ils|elles|on)\b|^est-ce qu\S*")


def predicate(question: str) -> str:
    """What a yes/no question asks of its subject: its inverted verb and what follows ("Le règlement intérieur ...
    parle-t-il des groupes politiques ?" -> "parle des groupes politiques"); the words before it name the thing
    the document is about. The whole question when it inverts no verb.

    >>> predicate("La ville rembourse-t-elle les salaires des agents de l'Agglo ?")
    "rembourse les salaires des agents de l'agglo"
    >>> predicate("Est-ce que le conseil a renouvelé la convention ?")
    'le conseil a renouvele la convention'
    """
    folded = fold(question).strip().rstrip(" ?")
    found = _INVERTED_RE.search(folded)
    if found is None:
        return folded
    verb = found.group(0).split("-")[0] if not found.group(0).startswith("est-ce") else ""
    return " ".join(f"{verb} {folded[found.end() :]}".split())


_WHY_RE = re.compile(r"\bpourquoi\b|\bpour quelles? raisons?\b|\ba cause de quoi\b|\bdans quel but\b")
# A sentence giving a cause or a purpose: "dans le but de ne pas détruire ces vestiges archéologiques", "en raison
# des travaux", "suite à la découverte de ...", "afin de".
_REASON_RE = re.compile(
    r"\b(?:en raison d|du fait d|suite a|a la suite d|parce qu|puisqu|compte tenu d|etant donne|afin d|afin qu"
    r"|dans le but d|en vue d|a cause d|faute d|grace a|dans la mesure ou|c'est pourquoi|vu qu|de sorte qu"
    r"|pour (?:ne pas|eviter|permettre|repondre|tenir compte)|en consequence d|motive)"
)


def asks_why(question: str) -> bool:
    """Whether the question asks a cause or a purpose ("Pourquoi a-t-il fallu changer les fondations ?").

    >>> asks_why("Pourquoi a-t-il fallu changer les fondations de la dalle ?"), asks_why("Quand ?")
    (True, False)
    """
    return bool(_WHY_RE.search(fold(question)))


def gives_reason(sentence: str) -> bool:
    """Whether the sentence states a cause or a purpose.

    >>> gives_reason("dans le but de ne pas détruire ces vestiges archéologiques, une solution a été retenue")
    True
    >>> gives_reason("Le marché est attribué à la société DARVER.")
    False
    """
    return bool(_REASON_RE.search(_fold_chars(sentence)))
