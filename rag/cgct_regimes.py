"""Which questions are about a special regime (Paris, overseas, départements ...).

General council questions should get the articles that apply to an ordinary commune; articles of special
regimes are only favoured when the question names that regime.
"""

from __future__ import annotations

import re

from rag.french import fold

_SPECIAL_WORDS_RE = re.compile(
    r"\b(paris|marseille|lyon|outre-mer|outre mer|mayotte|polynesie|caledonie|guyane|martinique|guadeloupe|"
    r"reunion|corse|moselle|alsace|bas-rhin|haut-rhin|departement|departements|departemental|region|regions|"
    r"regional|ile-de-france|saint-pierre|saint-martin|saint-barthelemy|wallis|arrondissement|metropole)\b"
)


def asks_special_regime(question: str) -> bool:
    return bool(_SPECIAL_WORDS_RE.search(fold(question)))
