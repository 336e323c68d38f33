"""Pseudonymisation of private persons in council documents (rule-based, local, stable across runs).

Council minutes name two kinds of people: elected officials acting in their role (the maire, the adjoints,
the members present) whose names are public by law, and private persons (sellers and buyers of land,
grant beneficiaries, agents, notaries) whose names are personal data. Private persons are replaced by a
pseudonym that is the same in every document and every run ("Madame Personne-1A2B"): an HMAC of the
normalised surname with a secret key kept next to the mapping. The mapping (pseudonym -> names seen) stays
on this machine (file mode 0600) for an authorised person to re-identify. E-mail addresses (but functional
mailboxes such as mairie@) and phone numbers are masked.

The pipeline calls `pseudonymize_loaded` once per file, after any loader and before anything is stored: it
rewrites passages, titles, metadata and the stored path, and marks the document (metadata MARKER).
`Pseudonymizer.mask_source` gives the stored key of a file (names in file names replaced);
`original_path` gives back the real file of a stored path, for "Ouvrir la page".

Example::

    pz = Pseudonymizer(Path("~/.local/share/mairie-rag/pseudonymes.json").expanduser())
    text = "Présents : M. CHARRIER Jean-Paul, Maire ...\\nvente à Mme Destruel d'un garage"
    pz.pseudonymize(text, officials=find_officials(text))
    # -> 'Présents : M. CHARRIER Jean-Paul, Maire ...\\nvente à Mme Personne-5C1E d'un garage'
    pz.mask_source("deliberations/2023_Cession_ZORGLUBIAN.pdf")
    # -> 'deliberations/2023_Cession_Personne-3F0A.pdf'
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
from pathlib import Path

from ingest.base import Loaded, display_path
from ingest.chunking import chunk_id
from ingest.pseudonymize_names import (
    CAP_WORD,
    FIRST_NAMES,
    MENTION,
    MENTION_OR_BARE,
    NOT_FIRST_NAMES,
    NOT_SURNAMES,
    OFFICIAL_ROLE_AFTER,
    PLACE_WORDS,
    PSEUDONYM_PREFIX,
    ROLE_WORDS,
    UPPER_WORD,
    Person,
    cut_name,
    find_officials,
    fold_name,
    is_stop,
    official_person,
    parse_person,
    words,
)
from rag import schema
from rag.french import MONTH_NUMBERS, WEEKDAYS, fold
from rag.schema import Chunk, Document, Page

logger = logging.getLogger(__name__)

# Bump when the rules change what is replaced: documents marked with an older version are processed again.
PSEUDONYMIZATION_VERSION = "2"
MARKER = "pseudonymized"  # document metadata: the PSEUDONYMIZATION_VERSION applied (absent: text in clear)
EMAIL_MASK = "[courriel masqué]"
PHONE_MASK = "[téléphone masqué]"
_EMAIL = re.compile(r"(?<![\w.+-])(?P<local>[\w.+-]+)@[\w-]+(?:\.[\w-]+)+")
# Mailboxes of a service, not of a person: kept.
_FUNCTIONAL_MAILBOXES = {
    "mairie", "contact", "accueil", "secretariat", "info", "infos", "courrier", "commune", "urbanisme",
    "communication", "noreply", "no-reply", "dgs", "etatcivil", "etat-civil", "ecole", "cantine", "technique",
}  # fmt: skip
# 06 12 34 56 78, 06.12.34.56.78, 0612345678, +33 6 12 34 56 78, +33 (0)6 12 34 56 78, 0033 6 ...
_PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\s?33[\s.-]?(?:\(0\)[\s.-]?)?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# A word of a file name: letters between separators, not glued to digits ("l2131", "v2" are not words).
_FILE_WORD = re.compile(r"(?<![^\W_])[^\W\d_]+(?![^\W_])")
# Words of file names that are not names (compared folded, lower case). Any other word of a file name in
# capitals or capitalised ("ZORGLUBIAN", "Zorglubian") is replaced by a pseudonym, as a surname would be.
_FILE_WORDS = (
    words(
        """
    pv cr cm dcm proces verbal verbaux compte comptes rendu rendus conseil municipal municipaux communautaire
    seance seances reunion reunions deliberation deliberations delib extrait extraits registre arrete arretes
    decision decisions liste ordre jour du de des la le les et en au aux a pour sur sous par avec ville commune
    communes mairie cession cessions vente ventes achat acquisition acquisitions echange bail convention avenant
    subvention subventions budget primitif supplementaire compte administratif gestion decision modificative
    tarif tarifs taxe taxes rapport rapports annexe annexes note notes synthese projet projets document documents
    scan scanne tampon signe signee version final finale def definitif copie page pages index content agenda
    blog site web export scdl csv pdf md txt doc docx odt donnees open data delibs actes acte fichier fichiers
    urbanisme travaux voirie ecole personnel recrutement emploi election elections maire adjoint adjoints
    indemnites commission commissions affaires diverses questions info information informations publication
    affichage publie publiee convocation convocations annule annulee remplace nouveau nouvelle terrain terrains
    parcelle parcelles propriete maison logement immeuble local garage batiment rue chemin route place
    sept oct nov dec janv fev avr juil aout mars mai juin readme provenance license licence changelog models
    style notes cgct crpa legi legal json jsonl sample demo key articles article partie legislative
    reglementaire livre titre chapitre section sous premiere deuxieme troisieme quatrieme cinquieme ier
    manifest schemas benchmarks corpus pdfs docs tests data archives archive
    """
    )
    | {fold(m) for m in MONTH_NUMBERS}
    | set(WEEKDAYS)
)
# After one of these, a word of any case is read as a name ("dossier_famille_dupont", "cession-martin.pdf").
_NAME_CONTEXT = {
    "famille",
    "consorts",
    "epoux",
    "m",
    "mme",
    "mr",
    "monsieur",
    "madame",
    "cession",
    "vente",
    "succession",
}
_PAGE_BREAK = "\n\f\n"
# Metadata that is never free text (ids, hashes, dates, codes, the commune filter): left as it is.
_KEPT_META = {
    schema.SOURCE, schema.DOC_ID, schema.DOC_HASH, schema.KIND, schema.PATH, schema.DATE, schema.DATE_INT,
    schema.COMMUNE, schema.COMMUNE_KEY, schema.CODE, schema.ARTICLE, schema.MATIERE, schema.MATIERE_L1,
    schema.URL, schema.REGIME, schema.OUTCOME, schema.VERSION_DATE, schema.DELIB_ID, MARKER,
}  # fmt: skip


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
        # Stored (pseudonymised) path -> the real file, for the admin's "Ouvrir la page" (mode 0600 too).
        self.originals_path = self.mapping_path.with_name("originaux.json")
        self._originals: dict[str, str] | None = None
        self._originals_dirty = False

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
        if self._originals is not None and self._originals_dirty:
            _write_private(self.originals_path, json.dumps(self._originals, ensure_ascii=False, indent=1) + "\n")
            self._originals_dirty = False
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

    def surname_pseudonym(self, word: str) -> str:
        """The pseudonym of one word read as a surname (the same as in the text for that surname alone)."""
        return self.pseudonym_for(Person(frozenset({fold_name(word)}), frozenset()), word)

    # --- file names and paths -------------------------------------------------------------------------
    def mask_source(self, source: str) -> str:
        """The stored key of a file: in its name every capitalised word or word in capitals that is not a
        file-name word ("Cession", "PV", "JUIN") becomes a pseudonym ("2023_Cession_ZORGLUBIAN.pdf" ->
        "2023_Cession_Personne-3F0A.pdf"); in folder names, only words in capitals; in both, any word after
        "famille", "M.", "cession" ... Stable across runs (the same key for the same file name)."""
        parts = source.split("/")
        with self._lock:
            masked = [self._mask_part(part, whole=i == len(parts) - 1) for i, part in enumerate(parts)]
            self.save()
        return "/".join(masked)

    def file_name_pseudonyms(self, name: str) -> dict[str, str]:
        """{folded word: pseudonym} for the words of a file name that `mask_source` replaces."""
        stem = name.rsplit(".", 1)[0] if "." in name else name
        with self._lock:
            found = {fold_name(w): self.surname_pseudonym(w) for w in _FILE_WORD.findall(stem) if _masked_word(w, True)}
            self.save()
        return found

    def _mask_part(self, part: str, *, whole: bool) -> str:
        stem, dot, suffix = part.rpartition(".") if whole and "." in part.strip(".") else (part, "", "")
        out, previous = [], ""
        position = 0
        for m in _FILE_WORD.finditer(stem):
            word = m.group(0)
            masked = _masked_word(word, whole) or (fold(previous).lower() in _NAME_CONTEXT and len(word) > 1)
            out.append(stem[position : m.start()] + (self.surname_pseudonym(word) if masked else word))
            position, previous = m.end(), word
        return "".join(out) + stem[position:] + dot + suffix

    def stored_path(self, path: Path) -> str:
        """The path kept in metadata (schema.PATH): the real path with names masked as in `mask_source`;
        the real one is remembered in the private originals file."""
        real = display_path(path)
        stored = self.mask_source(real)
        if stored == real:
            return stored
        with self._lock:
            originals = self._load_originals()
            if originals.get(stored) != real:
                originals[stored] = real
                self._originals_dirty = True
                self.save()
        return stored

    def original(self, stored: str) -> str:
        """The real file of a stored path (the stored path itself when it was not pseudonymised)."""
        with self._lock:
            return self._load_originals().get(stored, stored)

    def _load_originals(self) -> dict[str, str]:
        if self._originals is None:
            self._load()
            exists = self.originals_path.exists()
            self._originals = json.loads(self.originals_path.read_text(encoding="utf-8")) if exists else {}
        return self._originals

    # --- replacing ----------------------------------------------------------------------------------
    def pseudonymize(self, text: str, *, officials: set[str]) -> str:
        """`text` with every private person's name replaced by its pseudonym (civilities kept), e-mail
        addresses and phone numbers masked.

        Pass 1 finds names after a civility (M., Mme, Monsieur, Maître, famille ...) that are not officials,
        and "Prénom NOM" / "Prénom Nom" without one when the first name is a known one (a list, and the first
        names of the persons of the document) and no street or building word comes before; pass 2 replaces
        those persons everywhere, any casing, with or without civility ("ZORGLUBIAN", "Zorglubian").
        """
        known = [p for p in (official_person(o) for o in officials) if p is not None]
        private: list[Person] = []
        for m in MENTION.finditer(text):
            person = self._private_mention(m.group("civ"), m.group("name"), text, m.end(), known)
            if person is not None:
                private.append(person)
        firsts = FIRST_NAMES | {f for p in [*known, *private] for f in p.first_names}
        private += _bare_persons(text, known, firsts)
        surnames = {s for p in private for s in p.surnames} - {s for o in known for s in o.surnames}
        with self._lock:
            out = MENTION_OR_BARE.sub(lambda m: self._replace(m, text, known, private, surnames), text)
            self.save()
        return mask_contacts(out)

    @staticmethod
    def _private_mention(civility: str, raw: str, text: str, end: int, officials: list[Person]) -> Person | None:
        name, trailing = cut_name(raw)
        first = name.split()[0] if name.split() else ""
        if not first or first.lower().strip("'’") in ROLE_WORDS or first in NOT_FIRST_NAMES:
            return None
        person = parse_person(name, civility)
        if person is None or any(person.same_as(o) for o in officials):
            return None
        if not trailing and OFFICIAL_ROLE_AFTER.match(text[end : end + 40]):
            return None
        if trailing and OFFICIAL_ROLE_AFTER.match(trailing):
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
            if first and is_stop(first.group(0).strip()):  # "Propriété BIAU": a heading word, then a name
                lead, bare = first.group(0), bare[first.end() :]
                if fold_name(bare) in surnames and re.fullmatch(UPPER_WORD, bare):
                    return lead + self.surname_pseudonym(bare)
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
        if fold_name(word) in surnames:
            return self.surname_pseudonym(word)
        return m.group(0)


def _masked_word(word: str, whole: bool) -> bool:
    """True for a word of a file name (`whole`) or a folder name that `mask_source` replaces: a word in
    capitals, or in a file name a capitalised word, that is not a file-name word ("Cession", "PV", "JUIN")."""
    folded = fold(word).lower()
    if len(folded) < 3 or folded in _FILE_WORDS or fold_name(word) in NOT_SURNAMES:
        return False
    return word.isupper() or (whole and word[0].isupper())


def _bare_persons(text: str, officials: list[Person], first_names: set[str] | frozenset[str]) -> list[Person]:
    """Persons named without a civility: a known first name next to a surname ("Jean ZORGLUBIAN",
    "ZORGLUBIAN Jean", "Jean Zorglubian"), not an official, not after a street or building word."""
    found: list[Person] = []
    words = list(_WORD.finditer(text))
    for index in range(len(words) - 1):
        a, b = words[index], words[index + 1]
        if text[a.end() : b.start()] not in (" ", "\t", "  "):
            continue
        first, last = a.group(0), b.group(0)
        if re.fullmatch(UPPER_WORD, first) and re.fullmatch(CAP_WORD, last):
            first, last = last, first  # "ZORGLUBIAN Jean"
        if not re.fullmatch(CAP_WORD, first) or fold_name(first) not in first_names:
            continue
        if not (re.fullmatch(UPPER_WORD, last) or re.fullmatch(CAP_WORD, last)) or len(fold_name(last)) < 2:
            continue
        if fold_name(last) in first_names or fold_name(last) in NOT_SURNAMES or is_stop(last):
            continue
        before = [w.group(0) for w in words[max(0, index - 2) : index]]
        if any(fold(w).lower().removesuffix("s") in PLACE_WORDS for w in before) or OFFICIAL_ROLE_AFTER.match(
            text[b.end() : b.end() + 40]
        ):
            continue
        person = parse_person(f"{first} {last}") if re.fullmatch(UPPER_WORD, last) else None
        person = person or Person(frozenset({fold_name(last)}), frozenset({fold_name(first)}))
        if not any(person.same_as(o) for o in officials):
            found.append(person)
    return found


def mask_contacts(text: str) -> str:
    """E-mail addresses (functional mailboxes such as mairie@ kept) and phone numbers masked."""
    text = _EMAIL.sub(lambda m: m.group(0) if m.group("local").lower() in _FUNCTIONAL_MAILBOXES else EMAIL_MASK, text)
    return _PHONE.sub(PHONE_MASK, text)


def pseudonymize_texts(
    texts: list[str], pseudonymizer: Pseudonymizer, *, officials: set[str] | None = None
) -> list[str]:
    """The texts of one document, pseudonymised together: officials and persons are read from all of them
    (a person named with a civility on page 8 is also found on page 7, in a title, in a record field)."""
    joined = _PAGE_BREAK.join(t.replace("\f", " ") for t in texts)
    found = find_officials(joined) | set(officials or ())
    out = pseudonymizer.pseudonymize(joined, officials=found).split(_PAGE_BREAK)
    if len(out) != len(texts):  # pragma: no cover - a page break is never part of a name
        out = [pseudonymizer.pseudonymize(t, officials=found) for t in texts]
    return out


def pseudonymize_pages(
    pages: list[Page], pseudonymizer: Pseudonymizer, *, officials: set[str] | None = None
) -> list[Page]:
    """Pages of one document pseudonymised together (see pseudonymize_texts)."""
    texts = pseudonymize_texts([p.text for p in pages], pseudonymizer, officials=officials)
    return [Page(text=t, page_number=p.page_number) for t, p in zip(texts, pages, strict=True)]


def pseudonymize_loaded(loaded: Loaded, pseudonymizer: Pseudonymizer, *, path: Path) -> Loaded:
    """The pipeline hook, after any loader and before storing: passages, titles and free-text metadata of
    each document pseudonymised, words of the file name replaced in titles and metadata too, the stored path
    masked (`Pseudonymizer.stored_path`), the document marked (MARKER). Article versions (published law,
    no private person) pass unchanged."""
    stored = pseudonymizer.stored_path(path)
    from_name = pseudonymizer.file_name_pseudonyms(path.name)
    documents = [_pseudonymize_document(d, pseudonymizer, stored, from_name) for d in loaded.documents]
    return Loaded(documents, loaded.versions, loaded.warnings)


def _pseudonymize_document(doc: Document, pz: Pseudonymizer, stored: str, from_name: dict[str, str]) -> Document:
    fields = [(i, k) for i, c in enumerate(doc.chunks) for k, v in c.meta.items() if _free_text(k, v)]
    doc_fields = [k for k, v in doc.meta.items() if _free_text(k, v)]
    texts = [c.text for c in doc.chunks] + [doc.title]
    texts += [doc.chunks[i].meta[k] for i, k in fields] + [doc.meta[k] for k in doc_fields]
    out = pseudonymize_texts(texts, pz)
    count = len(doc.chunks)
    metas = [dict(c.meta) for c in doc.chunks]
    for (i, key), value in zip(fields, out[count + 1 :], strict=False):
        metas[i][key] = _replace_words(value, from_name)
    doc_meta = dict(doc.meta)
    for key, value in zip(doc_fields, out[count + 1 + len(fields) :], strict=True):
        doc_meta[key] = _replace_words(value, from_name)
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for chunk, text, meta in zip(doc.chunks, out[:count], metas, strict=True):
        if schema.PATH in meta:
            meta[schema.PATH] = stored
        # The id is a hash of the text: a changed passage gets the id of its new text.
        same = text == chunk.text
        chunks.append(
            Chunk(chunk.id if same else chunk_id(doc.doc_id, text, int(meta.get(schema.PAGE) or 0), seen), text, meta)
        )
    doc_meta[schema.PATH] = stored
    doc_meta[MARKER] = PSEUDONYMIZATION_VERSION
    title = _replace_words(out[count], from_name)
    return Document(doc.source, doc.doc_id, doc.doc_hash, doc.kind, title, chunks, doc_meta)


def _free_text(key: str, value: object) -> bool:
    return isinstance(value, str) and bool(value) and key not in _KEPT_META


def _replace_words(text: str, pseudonyms: dict[str, str]) -> str:
    if not pseudonyms:
        return text
    return _WORD.sub(lambda m: pseudonyms.get(fold_name(m.group(0)), m.group(0)), text)


def original_path(store: Path, stored: str) -> str:
    """The real file of a path stored with pseudonymisation on (for "Ouvrir la page"); `stored` otherwise.

    `store` is the store folder (settings.store); the originals file is readable by its owner only."""
    originals = store / "pseudonymisation" / "originaux.json"
    if not stored or not originals.exists():
        return stored
    try:
        return str(json.loads(originals.read_text(encoding="utf-8")).get(stored, stored))
    except (OSError, ValueError):
        logger.warning("Unreadable originals file %s", originals)
        return stored


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
