"""The rules that find people in council documents: civilities, name shapes, officials, word lists.

ingest.pseudonymize replaces the private persons these rules find; this module only reads text.

Example::

    parse_person("DUPONT Jean-Paul", "M.")
    # -> Person(surnames=frozenset({'DUPONT'}), first_names=frozenset({'JEANPAUL'}), gender='m')
    find_officials("Présents : M. CHARRIER Jean-Paul, Maire")
    # -> {'M. CHARRIER Jean-Paul'}
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.french import fold

PSEUDONYM_PREFIX = "Personne-"
UP = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ"
LOW = "a-zàâäçéèêëîïôöùûüÿœæ"
# A surname in capitals (DUPONT, ROUSSEL-GALIANA, D'ALMEIDA) or a capitalised word (Dupont, Jean-Paul).
UPPER_WORD = rf"[{UP}](?:[{UP}'’]|-(?=[{UP}]))+"
CAP_WORD = rf"[{UP}][{LOW}]+(?:-[{UP}][{LOW}]+)*"
_INITIAL = rf"[{UP}]\.(?:-?[{UP}]\.)*(?:[{UP}][{LOW}]+)?"  # "M.Claire", "J.-P."
_PARTICLE = r"(?:de|du|des|d'|d’|De|Du|Le|La|El|EL|DE|DU|LE|LA|Van|van|von|Di|DI|Da|DA)"
# A pseudonym already written ("Personne-1A2B") is never read as a name again.
NOT_PSEUDONYM = rf"(?!{PSEUDONYM_PREFIX}[0-9A-F]{{4}})"
NOT_CIV = rf"(?!(?:Monsieur|Madame|Mademoiselle|Messieurs|Mesdames|Maître|Maitre|Mme|Mlle)\b){NOT_PSEUDONYM}"
_NAME_TOKEN = rf"{NOT_CIV}(?:{UPPER_WORD}|{CAP_WORD}|{_INITIAL})"
_NAME = rf"(?:{_PARTICLE}\s+)?{_NAME_TOKEN}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_NAME_TOKEN}){{0,3}}"

CIVILITIES = {
    "m.": "m",
    "m": "m",
    "mr": "m",
    "mr.": "m",
    "monsieur": "m",
    "messieurs": "m",
    "mm.": "m",
    "mme": "f",
    "mme.": "f",
    "mmes": "f",
    "madame": "f",
    "mesdames": "f",
    "mlle": "f",
    "mlle.": "f",
    "mademoiselle": "f",
    "maître": "",
    "maitre": "",
    "me": "",
    "me.": "",
    # Not civilities, but words that name a private household or group by its surname ("famille Dupont").
    "famille": "",
    "familles": "",
    "consorts": "",
    "époux": "",
    "héritiers": "",
}
CIVILITY = (
    r"(?:Monsieur|Madame|Mademoiselle|Messieurs|Mesdames|Maître|Maitre|MM\.|Mmes|Mme\.?|Mlle\.?|Mr\.?"
    r"|M\.|Me\b|[Ff]amilles?|[Cc]onsorts|[ÉéEe]poux|[Hh]éritiers)"
)
# "M. et Mme Mirabel", "Madame et Monsieur X": civilities joined by "et" share the name that follows.
_CIV_GAP = r"[ \t]*\n?[ \t]*"
MENTION = re.compile(rf"(?P<civ>{CIVILITY}(?:\s+et\s+{CIVILITY})?){_CIV_GAP}(?P<name>{_NAME})")
# Words that follow a civility but are roles, not names ("M. le Maire", "Madame l'Adjointe").
ROLE_WORDS = {
    "le",
    "la",
    "les",
    "l",
    "maire",
    "adjoint",
    "adjointe",
    "président",
    "présidente",
    "préfet",
    "préfète",
    "conseiller",
    "conseillère",
    "directeur",
    "directrice",
    "secrétaire",
    "trésorier",
    "trésorière",
    "notaire",
    "délégué",
    "déléguée",
    "rapporteur",
    "receveur",
    "ministre",
    "sous",
    "vice",
}
# A capitalised word that starts a sentence or a heading, never a first name.
NOT_FIRST_NAMES = {
    "Le",
    "La",
    "Les",
    "Un",
    "Une",
    "Par",
    "Pour",
    "Dans",
    "Avec",
    "Sur",
    "Vu",
    "Monsieur",
    "Madame",
    "Conseil",
    "Commune",
    "Ville",
    "Article",
    "Propriété",
    "Acquisition",
    "Cession",
    "Vente",
    "Direction",
    "Service",
    "Délibération",
    "Objet",
    "Rue",
    "Avenue",
    "Route",
    "Chemin",
    "Impasse",
    "Place",
    "Mairie",
    "Syndicat",
    "Communauté",
    "Agence",
    "Centre",
    "Société",
    "Association",
    "Budget",
    "Section",
    "Lot",
    "Zone",
    "Parcelle",
    "Programme",
    "Opération",
    "Accusé",
    "Acte",
    "Envoi",
    "Réception",
    "Publiée",
    "Séance",
    "Extrait",
    "Présents",
    "Absents",
    "Excusés",
    "Secrétaire",
    "Titulaire",
    "Titulaires",
    "Suppléant",
    "Suppléants",
    "Elu",
    "Élu",
    "Agent",
    "Délégué",
    "Président",
    "Maire",
    "Adjoint",
    "Adjoints",
    "Messieurs",
    "Bénéficiaires",
    "Maître",
    "Département",
    "Région",
    "Etat",
    "État",
    "Préfecture",
    "Ministère",
    "Code",
    "Rurale",
    "Rurales",
    "Nombreuse",
    "Nombreuses",
    "Accueil",
}
# Upper-case words that are not surnames (acronyms, headings).
NOT_SURNAMES = {
    "PV",
    "CM",
    "CR",
    "DE",
    "DU",
    "LA",
    "LE",
    "LES",
    "ET",
    "EN",
    "AU",
    "SIRET",
    "TTC",
    "HT",
    "TVA",
    "SCI",
    "SARL",
    "SA",
    "SAS",
    "EURL",
    "SEM",
    "SERM",
    "OPAH",
    "ANAH",
    "GRL",
    "PLU",
    "ZAC",
    "DGS",
    "DDCS",
    "CGCT",
    "RPI",
    "USYP",
    "SMICTOM",
    "SIAEP",
    "MAM",
    "TPE",
    "PFFS",
    "EPCI",
    "CCAS",
    "ONF",
    "SNCF",
    "EDF",
    "ENEDIS",
    "SDIS",
    "ADMR",
    "COVID",
    "POUR",
    "CONTRE",
    "ABSTENTION",
    "ACCEPTE",
    "DECIDE",
    "DÉCIDE",
    "AUTORISE",
    "DESIGNE",
    "DÉSIGNE",
    "APPROUVE",
    "CHARGE",
    "ADOPTE",
    "VOTE",
    "DELIBERATION",
    "DÉLIBÉRATION",
    "OBJET",
    "CONSEIL",
    "MUNICIPAL",
    "MAIRE",
    "COMMUNE",
}
# After a name, the role of an elected official ("M. CHARRIER Jean-Paul, Maire", "Dupont Adjoint").
OFFICIAL_ROLE_AFTER = re.compile(
    r"^[ \t,(–-]*(?:\(?\s*)(?:Maire|maire|Adjoint(?:e)?|adjoint(?:e)?|1er|1ère|\d+(?:e|ème)\s+[Aa]djoint|"
    r"Conseill(?:er|ère)|conseill(?:er|ère)|Délégué|rapporte)\b(?!\s+(?i:technique|administrati|d['’]animation|"
    r"du patrimoine|territorial|principal|de \d))"
)
# Lines that list the members of the council (all of them officials, present or not).
_MEMBER_LIST = re.compile(
    r"(?im)^[ \t]*(?:Étaient\s+|Etaient\s+)?(?:Présent(?:e|s|es)?|Absent(?:e|s|es)?(?:\s+(?:non\s+)?excusé(?:e|s|es)?)?|"
    r"Excusé(?:e)?s?|Pouvoirs?|Procurations?|Secrétaire(?:\s+de\s+séance)?|Membres\s+présents|"
    r"Absents\s+ayant\s+voté\s+par\s+procuration[^:\n]*|Titulaires?|Suppléants?|Élus?|Elus?)\s*:"
)
_STOP_LIST = re.compile(
    r"\n[ \t]*\n|\f|\n\s*(?:Ordre du jour|ORDRE DU JOUR|Le quorum|Date de convocation|Convocation|"
    r"Nombre de|La séance)"
)


@dataclass(frozen=True, slots=True)
class Person:
    """A name as found: its surname key(s), first names and gender from the civility ('m', 'f' or '')."""

    surnames: frozenset[str]
    first_names: frozenset[str]
    gender: str = ""
    ambiguous: bool = False  # no word in capitals: "Thoreau Gérard" or "Gérard Thoreau"?

    @property
    def tokens(self) -> frozenset[str]:
        return self.surnames | self.first_names

    def same_as(self, other: Person) -> bool:
        """Same surname (the order "Thoreau Gérard" / "Gérard Thoreau" is ambiguous: any token counts),
        no conflicting gender, no conflicting first names."""
        if not (
            self.surnames & other.surnames
            or (self.ambiguous and self.tokens & other.surnames)
            or (other.ambiguous and other.tokens & self.surnames)
        ):
            return False
        if self.gender and other.gender and self.gender != other.gender:
            return False
        return not (
            self.first_names
            and other.first_names
            and not self.tokens & other.first_names
            and not other.tokens & self.first_names
        )


def fold_name(word: str) -> str:
    return re.sub(r"[^A-Z]", "", fold(word).upper())


def is_stop(token: str) -> bool:
    return token in NOT_FIRST_NAMES or token.lower().strip("'’") in ROLE_WORDS or fold_name(token) in NOT_SURNAMES


def cut_name(name: str) -> tuple[str, str]:
    """(the name, what follows it) for a match that ran into a role or the next sentence:
    "Robert M.Claude  Adjoint Technique" -> ("Robert M.Claude", "  Adjoint Technique")."""
    for m in re.finditer(r"\S+", name):
        if m.start() > 0 and is_stop(m.group(0)):
            return name[: m.start()].rstrip(), name[len(name[: m.start()].rstrip()) :]
    return name, ""


def parse_person(name: str, civility: str = "") -> Person | None:
    """Split "DUPONT Jean", "Jean DUPONT", "Jean-Paul Charrier" into surname(s) and first name(s)."""
    name = cut_name(name)[0]
    tokens = [t for t in re.split(r"[ \t\n]+", name.strip(" ,;.:()")) if t]
    tokens = [t for t in tokens if not re.fullmatch(_PARTICLE, t)]
    if not tokens:
        return None
    gender = ""
    civ = civility.lower().split()[0] if civility else ""
    if civ:
        gender = CIVILITIES.get(civ, "")
        if " et " in civility.lower():
            gender = ""
    upper = [t for t in tokens if re.fullmatch(UPPER_WORD, t) and len(fold_name(t)) >= 2]
    others = [t for t in tokens if t not in upper and not re.fullmatch(_INITIAL, t)]
    if upper:
        surnames, firsts = upper, others
    elif civ:
        # "M. Dupont", "Monsieur Jean Dupont": the last capitalised word is the surname.
        surnames, firsts = tokens[-1:], tokens[:-1]
    else:
        surnames, firsts = tokens[-1:], tokens[:-1]
    keys = frozenset(fold_name(s) for s in surnames if fold_name(s))
    if not keys:
        return None
    return Person(
        keys, frozenset(fold_name(f) for f in firsts if fold_name(f)), gender, ambiguous=not upper and len(tokens) > 1
    )


def find_officials(text: str) -> set[str]:
    """Names of elected officials stated in a council document: member lists ("Présents :", "Excusés :",
    "Secrétaire de séance :"), names followed by Maire / Adjoint / Conseiller / "rapporte", the chair.
    """
    found: set[str] = set()
    for match in _MEMBER_LIST.finditer(text):
        start = match.end() + len(text[match.end() :]) - len(text[match.end() :].lstrip())
        end = _STOP_LIST.search(text, start)
        block = text[start : min(end.start() if end else len(text), start + 3000)]
        for part in re.split(r"[,;/\n]|\bet\b|\(|\)", block):
            part = re.sub(r"pouvoir\s+(?:donné\s+)?à", "", part, flags=re.I).strip(" .:–-\t")
            m = re.match(rf"(?:(?P<civ>{CIVILITY})\s*)?(?P<name>{_NAME})", part)
            if m and _looks_like_name(m.group("name"), civility=m.group("civ") or ""):
                found.add(f"{m.group('civ') or ''} {m.group('name')}".strip())
    for m in MENTION.finditer(text):
        if OFFICIAL_ROLE_AFTER.match(text[m.end() : m.end() + 40]):
            found.add(f"{m.group('civ')} {m.group('name')}")
    # "Philippe SAUREL rapporte", "Hélène MANDROUX, Maire", "présidence de ... , Maire"
    bare = re.compile(
        rf"(?<![\w.])(?P<name>{CAP_WORD}(?:[ \t]+{CAP_WORD})?[ \t]+{UPPER_WORD}"
        rf"(?:[ \t]+{UPPER_WORD})?|{UPPER_WORD}[ \t]+{CAP_WORD})"
    )
    for m in bare.finditer(text):
        if OFFICIAL_ROLE_AFTER.match(text[m.end() : m.end() + 40]):
            found.add(m.group("name"))
    # The signature: "Madame le Maire\n\nHélène MANDROUX", "Monsieur le Maire, Philippe SAUREL".
    for m in re.finditer(rf"(?:Monsieur|Madame)\s+le\s+Maire[ \t]*[,:]?\s*(?P<name>{_NAME})", text):
        if _looks_like_name(m.group("name")):
            found.add(m.group("name"))
    # The roll of the council, printed apart from its "Présents :" label: four or more "Prénom NOM" in a row.
    for m in _ROLL.finditer(text):
        found.update(" ".join(item.split()) for item in m.group(0).split(","))
    return found


_ROLL_ITEM = rf"{CAP_WORD}(?:\s+{CAP_WORD})?\s+{UPPER_WORD}(?:\s+{UPPER_WORD})*"
_ROLL = re.compile(rf"(?<![\w.])(?:{_ROLL_ITEM}\s*,\s*){{3,}}{_ROLL_ITEM}")


def _looks_like_name(name: str, *, civility: str = "") -> bool:
    tokens = name.split()
    if not tokens or tokens[0] in NOT_FIRST_NAMES:
        return False
    if tokens[0].lower().strip("'’") in ROLE_WORDS:
        return False
    has_upper = any(
        re.fullmatch(UPPER_WORD, t) and fold_name(t) not in NOT_SURNAMES and len(fold_name(t)) >= 2 for t in tokens
    )
    if civility:
        return has_upper or bool(re.fullmatch(CAP_WORD, tokens[0]))
    return has_upper and len(tokens) >= 2


MENTION_OR_BARE = re.compile(
    rf"(?P<civ>{CIVILITY}(?:\s+et\s+{CIVILITY})?){_CIV_GAP}(?P<name>{_NAME})"
    rf"|(?<![\w.’'])(?P<bare>{NOT_CIV}{CAP_WORD}(?:[ \t]+{NOT_CIV}{CAP_WORD})?[ \t]+{UPPER_WORD}"
    rf"(?:[ \t]+{UPPER_WORD})?"
    rf"|{UPPER_WORD}[ \t]+{CAP_WORD}(?:-{CAP_WORD})?)(?![\w’'])"
    rf"|(?<![\w.’'-])(?P<upper>[{UP}](?:[{UP}{LOW}'’]|-(?=[{UP}]))+)(?![\w’'-])"
)


def official_person(name: str) -> Person | None:
    m = re.match(rf"\s*(?:(?P<civ>{CIVILITY})\s*)?(?P<name>.+)", name)
    if not m:
        return None
    return parse_person(m.group("name"), m.group("civ") or "")


def words(text: str) -> frozenset[str]:
    """The words of a word list written as a block of text."""
    return frozenset(text.split())


# Common French first names (folded, as `fold_name` gives them): with the first names of the persons already
# found in a document, they tell "Jean Dupont" (a person) from "Conseil Municipal" (two capitalised words).
FIRST_NAMES = words(
    """
    ADELINE AGNES ALAIN ALEXANDRE ALEXANDRA ALICE ALINE AMANDINE ANDRE ANDREE ANNE ANNIE ANNICK ANTOINE ARLETTE
    ARNAUD AUDREY AURELIE BERNADETTE BERNARD BRIGITTE BRUNO CAMILLE CAROLE CAROLINE CATHERINE CECILE CEDRIC
    CELINE CHANTAL CHARLES CHARLOTTE CHRISTIAN CHRISTIANE CHRISTINE CHRISTOPHE CINDY CLAIRE CLAUDE CLAUDINE
    CLEMENT COLETTE CORINNE DANIEL DANIELE DANIELLE DAVID DELPHINE DENIS DENISE DIDIER DOMINIQUE ELISABETH ELODIE
    EMILIE EMMANUEL EMMANUELLE ERIC ESTELLE ETIENNE EVELYNE FABIEN FABIENNE FABRICE FLORENCE FRANCINE FRANCIS
    FRANCK FRANCOIS FRANCOISE FREDERIC GABRIEL GENEVIEVE GEORGES GERALD GERARD GHISLAIN GHISLAINE GILBERT
    GILLES GINETTE GISELE GUILLAUME GUY GUYLAINE HELENE HENRI HERVE HUBERT HUGUES HUGUETTE ISABELLE JACQUELINE
    JACQUES JEAN JEANNE JEANCLAUDE JEANFRANCOIS JEANLUC JEANMARC JEANMARIE JEANPAUL JEANPIERRE JEANNINE JEROME
    JOEL JOELLE JOSEPH JOSETTE JULIE JULIEN JULIETTE KARINE LAETITIA LAURENCE LAURENT LAURE LAURA LEA LILIANE
    LIONEL LOUIS LOUISE LUC LUCIE LUCIEN LUDOVIC MADELEINE MAGALI MANUEL MARC MARCEL MARGUERITE MARIE MARIANNE
    MARIEHELENE MARIELLE MARIEPIERRE MARINE MARION MARTINE MARYLINE MATHIEU MATHILDE MAURICE MAXIME MELANIE
    MICHEL MICHELE MICHELLE MIREILLE MONIQUE MURIEL MYRIAM NADIA NADINE NATHALIE NELLY NICOLAS NICOLE NOEL
    ODETTE OLIVIER PASCAL PASCALE PATRICE PATRICIA PATRICK PAUL PAULETTE PHILIPPE PIERRE RAYMOND REGIS REMI
    RENE RENEE ROBERT ROGER ROLAND ROMAIN SABINE SANDRA SANDRINE SEBASTIEN SERGE SEVERINE SIMONE SOPHIE
    STEPHANE STEPHANIE SUZANNE SYLVAIN SYLVIE THERESE THIERRY THOMAS VALERIE VERONIQUE VICTOR VINCENT VIRGINIE
    XAVIER YANNICK YOLANDE YVES YVETTE YVONNE
    """
)
# A word before "Prénom Nom" that makes it a place or a building, not a person ("rue Jean Jaurès").
PLACE_WORDS = words(
    """
    rue avenue av boulevard bd place allee chemin impasse quai cours square parc pont route voie sentier
    ecole college lycee salle stade gymnase espace centre residence maison mediatheque bibliotheque groupe
    scolaire professeur docteur general marechal president saint sainte st ste fondation institut hopital
    clinique cite lotissement quartier halle jardin esplanade promenade passage piscine complexe foyer
    ehpad creche prix fete theatre musee
    """
)
