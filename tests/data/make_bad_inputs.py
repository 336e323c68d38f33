"""Crafted bad input files, generated at test time from the real demo corpus (nothing big is committed).

Example::

    from tests.data.make_bad_inputs import make_all
    cases = make_all(tmp_path / "lot")            # writes every file, returns what each should give
    [c.name for c in cases if c.status == "failed"]

Run as a script to keep a folder for manual tries: `python tests/data/make_bad_inputs.py /tmp/lot`.
"""

from __future__ import annotations

import os
import shutil
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DELIBERATIONS = REPO / "data" / "deliberations"
# A small real PDF with a text layer (4 chunks): the good file of every lot, and the base of the crafted ones.
GOOD_PDF = DELIBERATIONS / "montpellier" / "2014-04-24-0000071216.pdf"
# A larger one (Preuilly's PV, 5 pages) for the truncated and corrupted copies.
BIG_PDF = DELIBERATIONS / "preuilly-sur-claise" / "PV_CM_2020-07-23.pdf"

BOMB_PAGES = 100_000
BOMB_INFLATED_MB = 400


@dataclass(frozen=True, slots=True)
class Case:
    """One crafted file: its file name on disk, the expected status and a piece of the expected message."""

    name: str
    status: str  # "failed" | "indexed" | "hidden" (a dot file: never read, reported as skipped)
    reason: str  # a substring of the message (failed) or of a warning (indexed); "" for none
    shown: str = ""  # the source the report must show (sanitised name), when it differs from `name`

    @property
    def source(self) -> str:
        return self.shown or self.name


# --- PDF pieces ------------------------------------------------------------------------------------
def _write_pdf(path: Path, objects: list[bytes], *, root: int = 1) -> None:
    """Write a classic PDF (xref table) whose object i+1 is objects[i] (bytes between 'obj' and 'endobj')."""
    with path.open("wb") as fh:
        fh.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets: list[int] = []
        for number, body in enumerate(objects, start=1):
            offsets.append(fh.tell())
            fh.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
        xref = fh.tell()
        fh.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
        fh.write(b"".join(b"%010d 00000 n \n" % off for off in offsets))
        fh.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref))


def _stream(data: bytes, *, flate: bool = False, declared: int | None = None) -> bytes:
    head = b"<< /Length %d" % (declared if declared is not None else len(data))
    head += b" /Filter /FlateDecode >>" if flate else b" >>"
    return head + b"\nstream\n" + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def make_page_bomb(path: Path, pages: int = BOMB_PAGES, *, declared: int | None = None) -> Path:
    """`pages` pages that all share one small content stream: a few MB on disk, too many pages to index.

    `declared` sets a /Count that lies (e.g. 1) so that only walking the tree finds the real number.
    """
    # 1 catalog, 2 page tree, 3 content, 4 font, 5.. pages
    content = _stream(b"BT /F1 12 Tf 72 720 Td (Page de remplissage) Tj ET")
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages if declared is None else declared, kids),
        content,
        _FONT,
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>"
    objects.extend([page] * pages)
    _write_pdf(path, objects)
    return path


def make_deflate_bomb(path: Path, inflated_mb: int = BOMB_INFLATED_MB) -> Path:
    """One page whose FlateDecode content stream inflates to `inflated_mb` MB of text operators."""
    unit = b"BT /F1 12 Tf 72 720 Td (bombe de decompression) Tj ET\n" * 1000
    compressor = zlib.compressobj(9)
    parts: list[bytes] = []
    total = 0
    target = inflated_mb * 1024 * 1024
    while total < target:
        parts.append(compressor.compress(unit))
        total += len(unit)
    parts.append(compressor.flush())
    data = b"".join(parts)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(data, flate=True),
        _FONT,
    ]
    _write_pdf(path, objects)
    return path


def make_form_bomb(path: Path, inflated_mb: int = BOMB_INFLATED_MB) -> Path:
    """One page with a line of text and a form XObject whose FlateDecode stream inflates to `inflated_mb` MB:
    text extraction reads the line, drawing the page decodes the whole form (issue 12, item 8)."""
    unit = b"0 0 m 1 1 l S\n" * 4000
    compressor = zlib.compressobj(9)
    parts: list[bytes] = []
    total = 0
    while total < inflated_mb * 1024 * 1024:
        parts.append(compressor.compress(unit))
        total += len(unit)
    parts.append(compressor.flush())
    form = (
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Length %d /Filter /FlateDecode >>\nstream\n"
        % sum(len(p) for p in parts)
        + b"".join(parts)
        + b"\nendstream"
    )
    text = b"BT /F1 12 Tf 72 720 Td (Deliberation du conseil municipal sur les tarifs) Tj ET /Fm0 Do"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /Fm0 6 0 R >> >> >>",
        _stream(text),
        _FONT,
        form,
    ]
    _write_pdf(path, objects)
    return path


def make_truncated(path: Path, source: Path = BIG_PDF) -> Path:
    """The first half of a real PDF (an interrupted copy or download)."""
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def make_corrupt_xref(path: Path, source: Path = BIG_PDF) -> Path:
    """A real PDF whose xref table and startxref offset are overwritten with garbage (same length)."""
    data = bytearray(source.read_bytes())
    start = data.rfind(b"\nxref")
    end = data.find(b"trailer", start)
    assert start > 0 and end > start, "expected a classic xref table in the source PDF"
    data[start + 1 : end] = bytes((b"#@!"[i % 3]) for i in range(end - start - 1))
    sx = data.rfind(b"startxref")
    digits_start = sx + len(b"startxref\n")
    digits_end = data.find(b"\n", digits_start)
    data[digits_start:digits_end] = b"9" * (digits_end - digits_start)
    path.write_bytes(bytes(data))
    return path


def make_garbled_pdf(path: Path, source: Path = BIG_PDF) -> Path:
    """A real PDF's header followed by random-looking bytes: xref and every object are destroyed."""
    data = source.read_bytes()
    junk = bytes((i * 7919 + 13) % 251 for i in range(len(data) - 16))
    junk = junk.replace(b"obj", b"xxx").replace(b"%%EOF", b"%%XXX")
    path.write_bytes(data[:16] + junk + b"\nstartxref\n0\n%%EOF\n")
    return path


def make_encrypted(
    path: Path, *, user_password: str, owner_password: str, algorithm: str, source: Path = GOOD_PDF
) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(source)))
    writer.encrypt(
        user_password=user_password, owner_password=owner_password, algorithm=algorithm, permissions_flag=0b0100
    )  # print only: a "restricted" PDF as exported by office suites
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def make_image_only(path: Path, source: Path = GOOD_PDF, pages: int = 2) -> Path:
    """Pages of a real PDF rendered to pictures and saved as a PDF without a text layer (a scan)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(source))
    try:
        images = [pdf[i].render(scale=100 / 72).to_pil().convert("RGB") for i in range(min(pages, len(pdf)))]
    finally:
        pdf.close()
    images[0].save(path, "PDF", resolution=100.0, save_all=True, append_images=images[1:])
    return path


# --- other files -----------------------------------------------------------------------------------
SCDL_HEADER = (
    "COLL_NOM;COLL_SIRET;DELIB_ID;DELIB_DATE;DELIB_MATIERE_CODE;DELIB_MATIERE_NOM;DELIB_OBJET;"
    "BUDGET_ANNEE;BUDGET_NOM;PREF_ID;PREF_DATE;VOTE_EFFECTIF;VOTE_REEL;VOTE_POUR;VOTE_CONTRE;"
    "VOTE_ABSTENTION;DELIB_URL"
)


def make_latin1_csv(path: Path) -> Path:
    """A valid SCDL row saved by a spreadsheet in Windows-1252 / latin-1 instead of UTF-8."""
    row = (
        "Preuilly-sur-Claise;00000000000000;2020-045;2020-07-23;7.10;Divers;"
        "Cantine - tarifs pour la rentrée scolaire, repas élèves et adultes;;;;;15;14;13;1;0;"
    )
    path.write_bytes((SCDL_HEADER + "\n" + row + "\n").encode("latin-1"))
    return path


def make_wrong_columns_csv(path: Path) -> Path:
    """A CSV export of something else (an accounting table) with the .csv extension."""
    path.write_text(
        "Compte;Libellé;Montant;Exercice\n6042;Achats de prestations;1250,00;2020\n"
        "6068;Autres matières et fournitures;310,50;2020\n",
        encoding="utf-8",
    )
    return path


def make_plain_markdown(path: Path) -> Path:
    path.write_text(
        "Notes de la réunion de préparation du budget\n\n"
        "La commission des finances propose de maintenir les tarifs de la cantine scolaire et de reporter "
        "la réfection de la toiture de l'école à l'exercice suivant.\n",
        encoding="utf-8",
    )
    return path


def make_sparse(path: Path, megabytes: int = 200) -> Path:
    """A file of `megabytes` MB that takes no disk space (sparse): it must be rejected without being read."""
    with path.open("wb") as fh:
        fh.write(b"%PDF-1.4\n")
        fh.truncate(megabytes * 1024 * 1024)
    return path


# --- the whole lot ---------------------------------------------------------------------------------
PROTECTED = "protégé par un mot de passe"
# The lot is ingested with --ocr never (OCR is slow and tested in tests/ingest/test_ocr.py): a scan is skipped.
OCR_OFF = "OCR désactivée"


def make_all(folder: Path, *, with_csv: bool = True) -> list[Case]:
    """Write every crafted file (and one good PDF) into `folder`; return the expected outcome of each."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def add(name: str, status: str, reason: str, shown: str = "") -> None:
        cases.append(Case(name, status, reason, shown))

    shutil.copyfile(GOOD_PDF, folder / "bon.pdf")
    add("bon.pdf", "indexed", "")
    make_truncated(folder / "tronque.pdf")
    add("tronque.pdf", "failed", "PDF tronqué")
    make_corrupt_xref(folder / "xref-abimee.pdf")
    # The objects are intact: the table is rebuilt by scanning the file, the text is indexed.
    add("xref-abimee.pdf", "indexed", "table des objets (xref) endommagée")
    make_garbled_pdf(folder / "illisible.pdf")
    add("illisible.pdf", "failed", "PDF illisible")
    make_encrypted(
        folder / "mot-de-passe.pdf", user_password="secret", owner_password="proprietaire", algorithm="AES-128"
    )
    add("mot-de-passe.pdf", "failed", PROTECTED)
    make_encrypted(
        folder / "mot-de-passe-rc4.pdf", user_password="secret", owner_password="proprietaire", algorithm="RC4-128"
    )
    add("mot-de-passe-rc4.pdf", "failed", PROTECTED)
    make_encrypted(folder / "restreint-aes.pdf", user_password="", owner_password="proprietaire", algorithm="AES-256")
    add("restreint-aes.pdf", "indexed", "")
    make_encrypted(folder / "restreint-rc4.pdf", user_password="", owner_password="proprietaire", algorithm="RC4-128")
    add("restreint-rc4.pdf", "indexed", "")
    make_image_only(folder / "scan.pdf")
    add("scan.pdf", "skipped", OCR_OFF)
    make_page_bomb(folder / "bombe-pages.pdf")
    add("bombe-pages.pdf", "failed", "pages, au-delà de la limite")
    make_page_bomb(folder / "bombe-pages-cachees.pdf", declared=1)
    add("bombe-pages-cachees.pdf", "failed", "PDF de plus de")
    make_deflate_bomb(folder / "bombe-zip.pdf")
    add("bombe-zip.pdf", "failed", "bombe de décompression")
    (folder / "vide.pdf").write_bytes(b"")
    add("vide.pdf", "failed", "fichier vide")
    shutil.copyfile("/bin/ls", folder / "programme.pdf")
    add("programme.pdf", "failed", "programme")
    (folder / "faux.pdf").write_bytes(b"<html><body>Erreur 404 - page introuvable</body></html>\n")
    add("faux.pdf", "failed", "le contenu n'est pas un PDF")
    if with_csv:
        make_latin1_csv(folder / "deliberations-latin1.csv")
        add("deliberations-latin1.csv", "failed", "UTF-8")
        make_wrong_columns_csv(folder / "comptabilite.csv")
        add("comptabilite.csv", "failed", "colonnes")
    make_plain_markdown(folder / "notes.md")
    add("notes.md", "indexed", "indexé comme document texte simple")
    # Hostile names: the content is a good PDF, the source shown must be sanitised.
    shutil.copyfile(GOOD_PDF, folder / "a\x07b.pdf")
    add("a\x07b.pdf", "indexed", "", shown="a?b.pdf")
    shutil.copyfile(GOOD_PDF, folder / "..%2F..%2Fetc.pdf")
    add("..%2F..%2Fetc.pdf", "hidden", "")
    shutil.copyfile(GOOD_PDF, folder / "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd.pdf")
    add("%2E%2E%2F%2E%2E%2Fetc%2Fpasswd.pdf", "indexed", "")
    shutil.copyfile(GOOD_PDF, folder / "ligne\nÉchec : faux message.pdf")
    add("ligne\nÉchec : faux message.pdf", "indexed", "", shown="ligne?Échec : faux message.pdf")
    # A name that is not UTF-8 (copied from an old Windows share or a zip in cp1252): bytes on disk.
    raw = os.fsencode(folder) + b"/d\xe9lib\xe9ration.pdf"
    shutil.copyfile(GOOD_PDF, raw)
    add(os.fsdecode(raw).rsplit("/", 1)[1], "indexed", "", shown="d\ufffdlib\ufffdration.pdf")
    make_sparse(folder / "enorme.pdf")
    add("enorme.pdf", "failed", "au-delà de la limite de")
    return cases


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bad-inputs")
    for case in make_all(out):
        print(f"{case.status:8s} {case.source!r}: {case.reason}")
