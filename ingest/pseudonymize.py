"""Pseudonymisation of private persons in council documents (rule-based, local, stable across runs).

Council minutes name two kinds of people: elected officials acting in their role (the maire, the adjoints,
the members present) whose names are public by law, and private persons (sellers and buyers of land,
grant beneficiaries, agents, notaries) whose names are personal data. Private persons are replaced by a
pseudonym that is the same in every document and every run ("Madame Personne-1A2B"): an HMAC of the
normalised surname with a secret key kept next to the mapping. The mapping (pseudonym -> names seen) stays
on this machine (file mode 0600) for an authorised person to re-identify.

Example::

    pz = Pseudonymizer(Path("~/.local/share/mairie-rag/pseudonymes.json").expanduser())
    text = "Présents : M. CHARRIER Jean-Paul, Maire ...\\nvente à Mme Destruel d'un garage"
    pz.pseudonymize(text, officials=find_officials(text))
    # -> 'Présents : M. CHARRIER Jean-Paul, Maire ...\\nvente à Mme Personne-5C1E d'un garage'
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from rag.french import fold
from rag.schema import Page

logger = logging.getLogger(__name__)

PSEUDONYM_PREFIX = "Personne-"
_UP = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ"
_LOW = "a-zàâäçéèêëîïôöùûüÿœæ"
# A surname in capitals (DUPONT, ROUSSEL-GALIANA, D'ALMEIDA) or a capitalised word (Dupont, Jean-Paul).
_UPPER_WORD = rf"[{_UP}](?:[{_UP}'’]|-(?=[{_UP}]))+"
_CAP_WORD = rf"[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)*"
_INITIAL = rf"[{_UP}]\.(?:-?[{_UP}]\.)*(?:[{_UP}][{_LOW}]+)?"  # "M.Claire", "J.-P."
_PARTICLE = r"(?:de|du|des|d'|d’|De|Du|Le|La|El|EL|DE|DU|LE|LA|Van|van|von|Di|DI|Da|DA)"
_NOT_CIV = r"(?!(?:Monsieur|Madame|Mademoiselle|Messieurs|Mesdames|Maître|Maitre|Mme|Mlle)\b)"
_NAME_TOKEN = rf"{_NOT_CIV}(?:{_UPPER_WORD}|{_CAP_WORD}|{_INITIAL})"
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
}
_CIVILITY = (
    r"(?:Monsieur|Madame|Mademoiselle|Messieurs|Mesdames|Maître|Maitre|MM\.|Mmes|Mme\.?|Mlle\.?|Mr\.?"
    r"|M\.|Me\b)"
)
# "M. et Mme Mirabel", "Madame et Monsieur X": civilities joined by "et" share the name that follows.
_CIV_GAP = r"[ \t]*\n?[ \t]*"
_MENTION = re.compile(rf"(?P<civ>{_CIVILITY}(?:\s+et\s+{_CIVILITY})?){_CIV_GAP}(?P<name>{_NAME})")
# Words that follow a civility but are roles, not names ("M. le Maire", "Madame l'Adjointe").
_ROLE_WORDS = {
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
_NOT_FIRST_NAMES = {
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
}
# Upper-case words that are not surnames (acronyms, headings).
_NOT_SURNAMES = {
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
_OFFICIAL_ROLE_AFTER = re.compile(
    r"^[ \t,(–-]*(?:\(?\s*)(?:Maire|maire|Adjoint(?:e)?|adjoint(?:e)?|1er|1ère|\d+(?:e|ème)\s+[Aa]djoint|"
    r"Conseill(?:er|ère)|conseill(?:er|ère)|Délégué|rapporte)\b(?!\s+(?i:technique|administrati|d['’]animation|"
    r"du patrimoine|territorial|principal|de \d))"
)
# Lines that list the members of the council (all of them officials, present or not).
_MEMBER_LIST = re.compile(
    r"(?im)^[ \t]*(?:Étaient\s+|Etaient\s+)?(?:Présent(?:e|s|es)?|Absent(?:e|s|es)?(?:\s+excusé(?:e|s|es)?)?|"
    r"Excusé(?:e)?s?|Pouvoirs?|Procurations?|Secrétaire(?:\s+de\s+séance)?|Membres\s+présents|"
    r"Absents\s+ayant\s+voté\s+par\s+procuration[^:\n]*|Titulaires?|Suppléants?|Élus?|Elus?)\s*:"
)
_STOP_LIST = re.compile(
    r"\n[ \t]*\n|\n\s*(?:Ordre du jour|ORDRE DU JOUR|Le quorum|Date de convocation|Convocation|"
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


def _fold(word: str) -> str:
    return re.sub(r"[^A-Z]", "", fold(word).upper())


def _is_stop(token: str) -> bool:
    return token in _NOT_FIRST_NAMES or token.lower().strip("'’") in _ROLE_WORDS or _fold(token) in _NOT_SURNAMES


def cut_name(name: str) -> tuple[str, str]:
    """(the name, what follows it) for a match that ran into a role or the next sentence:
    "Robert M.Claude  Adjoint Technique" -> ("Robert M.Claude", "  Adjoint Technique")."""
    for m in re.finditer(r"\S+", name):
        if m.start() > 0 and _is_stop(m.group(0)):
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
    upper = [t for t in tokens if re.fullmatch(_UPPER_WORD, t) and len(_fold(t)) >= 2]
    others = [t for t in tokens if t not in upper and not re.fullmatch(_INITIAL, t)]
    if upper:
        surnames, firsts = upper, others
    elif civ:
        # "M. Dupont", "Monsieur Jean Dupont": the last capitalised word is the surname.
        surnames, firsts = tokens[-1:], tokens[:-1]
    else:
        surnames, firsts = tokens[-1:], tokens[:-1]
    keys = frozenset(_fold(s) for s in surnames if _fold(s))
    if not keys:
        return None
    return Person(
        keys, frozenset(_fold(f) for f in firsts if _fold(f)), gender, ambiguous=not upper and len(tokens) > 1
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
            m = re.match(rf"(?:(?P<civ>{_CIVILITY})\s*)?(?P<name>{_NAME})", part)
            if m and _looks_like_name(m.group("name"), civility=m.group("civ") or ""):
                found.add(f"{m.group('civ') or ''} {m.group('name')}".strip())
    for m in _MENTION.finditer(text):
        if _OFFICIAL_ROLE_AFTER.match(text[m.end() : m.end() + 40]):
            found.add(f"{m.group('civ')} {m.group('name')}")
    # "Philippe SAUREL rapporte", "Hélène MANDROUX, Maire", "présidence de ... , Maire"
    bare = re.compile(
        rf"(?<![\w.])(?P<name>{_CAP_WORD}(?:[ \t]+{_CAP_WORD})?[ \t]+{_UPPER_WORD}"
        rf"(?:[ \t]+{_UPPER_WORD})?|{_UPPER_WORD}[ \t]+{_CAP_WORD})"
    )
    for m in bare.finditer(text):
        if _OFFICIAL_ROLE_AFTER.match(text[m.end() : m.end() + 40]):
            found.add(m.group("name"))
    # The signature: "Madame le Maire\n\nHélène MANDROUX", "Monsieur le Maire, Philippe SAUREL".
    for m in re.finditer(rf"(?:Monsieur|Madame)\s+le\s+Maire[ \t]*[,:]?\s*(?P<name>{_NAME})", text):
        if _looks_like_name(m.group("name")):
            found.add(m.group("name"))
    return found


def _looks_like_name(name: str, *, civility: str = "") -> bool:
    tokens = name.split()
    if not tokens or tokens[0] in _NOT_FIRST_NAMES:
        return False
    if tokens[0].lower().strip("'’") in _ROLE_WORDS:
        return False
    has_upper = any(
        re.fullmatch(_UPPER_WORD, t) and _fold(t) not in _NOT_SURNAMES and len(_fold(t)) >= 2 for t in tokens
    )
    if civility:
        return has_upper or bool(re.fullmatch(_CAP_WORD, tokens[0]))
    return has_upper and len(tokens) >= 2


class Pseudonymizer:
    """Replaces private persons' names by stable pseudonyms; officials are kept.

    The secret key (`<mapping>.key`) and the mapping (`<mapping>`, pseudonym -> names seen) are created on
    first use with mode 0600. Delete both to start afresh; keep the key to keep pseudonyms stable.
    """

    def __init__(self, mapping_path: Path) -> None:
        self.mapping_path = Path(mapping_path)
        self.key_path = self.mapping_path.with_name(self.mapping_path.name + ".key")
        self._key: bytes | None = None
        self._mapping: dict[str, list[str]] | None = None
        self._by_key: dict[str, str] = {}
        self._dirty = False
        self._lock = threading.Lock()

    # --- key and mapping --------------------------------------------------------------------------
    def _load(self) -> None:
        if self._key is not None:
            return
        self.mapping_path.parent.mkdir(parents=True, exist_ok=True)
        if self.key_path.exists():
            self._key = bytes.fromhex(self.key_path.read_text(encoding="ascii").strip())
        else:
            self._key = secrets.token_bytes(32)
            _write_private(self.key_path, self._key.hex() + "\n")
        self._mapping = {}
        if self.mapping_path.exists():
            data = json.loads(self.mapping_path.read_text(encoding="utf-8"))
            self._mapping = {k: list(v.get("names", [])) for k, v in data.get("pseudonyms", {}).items()}
            self._by_key = {v["key"]: k for k, v in data.get("pseudonyms", {}).items() if "key" in v}

    def save(self) -> None:
        """Write the mapping (mode 0600); called by `pseudonymize`, cheap when nothing changed."""
        if not self._dirty or self._mapping is None:
            return
        keys = {p: k for k, p in self._by_key.items()}
        data = {
            "note": "Correspondance pseudonyme -> noms d'origine. Donnée personnelle : ne pas diffuser.",
            "pseudonyms": {
                p: {"key": keys.get(p, ""), "names": sorted(set(names))} for p, names in sorted(self._mapping.items())
            },
        }
        _write_private(self.mapping_path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        self._dirty = False

    def pseudonym_for(self, person: Person, shown: str) -> str:
        """The pseudonym of a surname: HMAC(key, surname) -> "Personne-1A2B" (longer on a collision)."""
        self._load()
        assert self._key is not None and self._mapping is not None
        key = "+".join(sorted(person.surnames))
        known = self._by_key.get(key)
        if known is None:
            digest = hmac.new(self._key, key.encode("utf-8"), hashlib.sha256).hexdigest().upper()
            taken = set(self._by_key.values())
            length = next((n for n in range(4, 65, 2) if PSEUDONYM_PREFIX + digest[:n] not in taken), 64)
            known = self._by_key[key] = PSEUDONYM_PREFIX + digest[:length]
            self._dirty = True
        pseudonym: str = known
        names = self._mapping.setdefault(pseudonym, [])
        if shown not in names:
            names.append(shown)
            self._dirty = True
        return pseudonym

    # --- replacing ----------------------------------------------------------------------------------
    def pseudonymize(self, text: str, *, officials: set[str]) -> str:
        """`text` with every private person's name replaced by its pseudonym (civilities kept).

        Pass 1 finds names after a civility (M., Mme, Monsieur, Maître ...) that are not officials; pass 2
        also replaces those persons where they appear without a civility ("Cindy MOREAU", "Propriété BIAU").
        """
        known = [p for p in (_official_person(o) for o in officials) if p is not None]
        private: list[Person] = []
        for m in _MENTION.finditer(text):
            person = self._private_mention(m.group("civ"), m.group("name"), text, m.end(), known)
            if person is not None:
                private.append(person)
        surnames = {s for p in private for s in p.surnames} - {s for o in known for s in o.surnames}
        with self._lock:
            out = _MENTION_OR_BARE.sub(lambda m: self._replace(m, text, known, private, surnames), text)
            self.save()
        return out

    @staticmethod
    def _private_mention(civility: str, raw: str, text: str, end: int, officials: list[Person]) -> Person | None:
        name, trailing = cut_name(raw)
        first = name.split()[0] if name.split() else ""
        if not first or first.lower().strip("'’") in _ROLE_WORDS or first in _NOT_FIRST_NAMES:
            return None
        person = parse_person(name, civility)
        if person is None or any(person.same_as(o) for o in officials):
            return None
        if not trailing and _OFFICIAL_ROLE_AFTER.match(text[end : end + 40]):
            return None
        if trailing and _OFFICIAL_ROLE_AFTER.match(trailing):
            return None
        return person

    def _replace(
        self, m: re.Match[str], text: str, officials: list[Person], private: list[Person], surnames: set[str]
    ) -> str:
        if m.group("civ"):
            person = self._private_mention(m.group("civ"), m.group("name"), text, m.end(), officials)
            if person is None:
                return m.group(0)
            name, trailing = cut_name(m.group("name"))
            head = m.group(0)[: m.start("name") - m.start()]
            return f"{head}{self.pseudonym_for(person, f'{m.group(0)[: len(head)].strip()} {name}')}{trailing}"
        if m.group("bare"):
            bare = m.group("bare")
            lead = ""
            first = re.match(r"\S+\s+", bare)
            if first and _is_stop(first.group(0).strip()):  # "Propriété BIAU": a heading word, then a name
                lead, bare = first.group(0), bare[first.end() :]
                if _fold(bare) in surnames and re.fullmatch(_UPPER_WORD, bare):
                    return lead + self.pseudonym_for(Person(frozenset({_fold(bare)}), frozenset()), bare)
                return m.group(0)
            name, trailing = cut_name(bare)
            person = parse_person(name)
            if (
                person is None
                or not any(person.same_as(p) for p in private)
                or any(person.same_as(o) for o in officials)
            ):
                return m.group(0)
            return self.pseudonym_for(person, name) + trailing
        word = m.group("upper")
        if _fold(word) in surnames:
            return self.pseudonym_for(Person(frozenset({_fold(word)}), frozenset()), word)
        return m.group(0)


_MENTION_OR_BARE = re.compile(
    rf"(?P<civ>{_CIVILITY}(?:\s+et\s+{_CIVILITY})?){_CIV_GAP}(?P<name>{_NAME})"
    rf"|(?<![\w.’'])(?P<bare>{_NOT_CIV}{_CAP_WORD}(?:[ \t]+{_NOT_CIV}{_CAP_WORD})?[ \t]+{_UPPER_WORD}"
    rf"(?:[ \t]+{_UPPER_WORD})?"
    rf"|{_UPPER_WORD}[ \t]+{_CAP_WORD}(?:-{_CAP_WORD})?)(?![\w’'])"
    rf"|(?<![\w.’'-])(?P<upper>[{_UP}]{{3,}})(?![\w’'-])"
)


def _official_person(name: str) -> Person | None:
    m = re.match(rf"\s*(?:(?P<civ>{_CIVILITY})\s*)?(?P<name>.+)", name)
    if not m:
        return None
    return parse_person(m.group("name"), m.group("civ") or "")


def pseudonymize_pages(
    pages: list[Page], pseudonymizer: Pseudonymizer, *, officials: set[str] | None = None
) -> list[Page]:
    """The pipeline hook: officials are read from the whole document, then each page is pseudonymised."""
    # One text for the whole document: a person named with a civility on page 8 is also found on page 7.
    joined = _PAGE_BREAK.join(p.text.replace("\f", " ") for p in pages)
    found = find_officials(joined) | set(officials or ())
    texts = pseudonymizer.pseudonymize(joined, officials=found).split(_PAGE_BREAK)
    if len(texts) != len(pages):  # pragma: no cover - a page break is never part of a name
        texts = [pseudonymizer.pseudonymize(p.text, officials=found) for p in pages]
    return [Page(text=t, page_number=p.page_number) for t, p in zip(texts, pages, strict=True)]


_PAGE_BREAK = "\n\f\n"


def _write_private(path: Path, content: str) -> None:
    """Write a file readable by its owner only, atomically (never a moment with wider permissions)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(content)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
