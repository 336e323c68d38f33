"""Spaces: one commune (or organisation) = one space with its own documents; the law is shared.

Each space is a pair of Chroma collections in the same client: `<collection>.<space>` (passages) and
`<collection>.<space>_documents` (manifest). The default space keeps the historical names
`<collection>` / `<collection>_documents`, so a store built before spaces opens as-is. The national law
(passages of kind "article": CGCT, CRPA, versions) is written once into the shared space `law`, which every
view reads; a store built before spaces keeps its law in the default space, visible to that space only.
Why collections rather than Chroma databases or one filtered collection: docs/DEPLOYMENT.md.

>>> collection_names("mairie", "couthenans")
('mairie.couthenans', 'mairie.couthenans_documents')
>>> target_space("article", "couthenans")
'law'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rag.errors import ConfigError

DEFAULT_SPACE = "default"
LAW_SPACE = "law"  # the shared space: every view reads it, documents of kind LAW_KIND are written there
LAW_KIND = "article"  # rag.schema.KIND_ARTICLE (not imported: rag.settings validates names with this module)
SPACE_KEY = "space"  # chunk metadata: the space a passage was read from (set on read, written on write)
_NAME_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$")
_DOCS_SUFFIX = "_documents"


def check_space(name: str) -> str:
    """The space name, validated (lowercase letters, digits, '-'; 48 characters at most)."""
    if not _NAME_RE.match(name):
        raise ConfigError(
            f"Nom d'espace invalide : {name!r} (lettres minuscules sans accent, chiffres et '-', "
            "48 caractères au plus, ex. 'couthenans')."
        )
    return name


def collection_names(base: str, space: str) -> tuple[str, str]:
    """(passages, manifest) collection names of a space."""
    name = base if space == DEFAULT_SPACE else f"{base}.{space}"
    return name, name + _DOCS_SUFFIX


def space_of_collection(base: str, name: str) -> str | None:
    """The space whose passages collection is `name` (None for a manifest or a foreign collection)."""
    if name == base:
        return DEFAULT_SPACE
    prefix = base + "."
    if name.startswith(prefix) and not name.endswith(_DOCS_SUFFIX) and _NAME_RE.match(name[len(prefix) :]):
        return name[len(prefix) :]
    return None


def target_space(kind: str, space: str) -> str:
    """Where a document of this kind is written from `space`: the law goes to the shared space."""
    return LAW_SPACE if kind == LAW_KIND else space


def readable(spaces: Iterable[str]) -> tuple[str, ...]:
    """The spaces a view reads: the given ones (validated, deduplicated, in order) plus the shared law."""
    names = [check_space(s) for s in spaces]
    return tuple(dict.fromkeys([*names, LAW_SPACE]))
