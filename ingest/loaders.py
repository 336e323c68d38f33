"""The one table of loaders, keyed by the type ingest.detect finds in a file's content.

Adding a format is one detected type and one entry here (scanned PDFs go through the PDF loader, which
reads their pages by OCR; .doc/.docx/.odt through ingest.office). Types that
have no loader are refused with the reason and the fix a secretary can act on (`refusal`).
"""

from __future__ import annotations

from ingest import detect
from ingest.base import Loader
from ingest.cgct import ArticleMarkdownLoader
from ingest.council import CouncilPdfLoader
from ingest.legi import LegiJsonLoader
from ingest.markdown import MarkdownLoader
from ingest.office import OfficeLoader
from ingest.scdl import ScdlLoader
from ingest.versions import VersionsLoader

LOADERS: dict[str, Loader] = {
    detect.PDF: CouncilPdfLoader(),
    detect.ARTICLE_MARKDOWN: ArticleMarkdownLoader(),
    detect.MARKDOWN: MarkdownLoader(),
    detect.LEGI_JSON: LegiJsonLoader(),
    detect.VERSIONS_JSONL: VersionsLoader(),
    detect.CSV: ScdlLoader(),
    detect.WORD_DOC: OfficeLoader(detect.WORD_DOC),
    detect.DOCX: OfficeLoader(detect.DOCX),
    detect.ODT: OfficeLoader(detect.ODT),
}

_REFUSALS = {
    detect.EMPTY: ("fichier vide (0 octet)", "vérifiez la copie du fichier"),
    detect.EXECUTABLE: ("ce fichier est un programme, pas un document", "retirez-le du dossier"),
    detect.SPECIAL: ("pas un fichier ordinaire (tube, périphérique ou socket), non lu", "retirez-le du dossier"),
    detect.UNREADABLE: ("fichier illisible (droits d'accès ?)", "vérifiez les droits du fichier"),
    detect.UNKNOWN: (
        "type de fichier non reconnu",
        "formats pris en charge : PDF, Word (.doc, .docx), LibreOffice (.odt), Markdown, CSV SCDL",
    ),
}


def refusal(kind: str, suffix: str) -> tuple[str, str]:
    """(reason, fix) for a file whose detected type has no loader."""
    reason, fix = _REFUSALS.get(kind, _REFUSALS[detect.UNKNOWN])
    if kind == detect.UNKNOWN and suffix.lower() == ".pdf":
        reason = "extension .pdf mais le contenu n'est pas un PDF"
    return reason, fix
