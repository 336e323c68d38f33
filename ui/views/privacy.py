"""Confidentialité: what is stored where, and what may leave the machine."""

from __future__ import annotations

import streamlit as st

from rag.legal import NOT_LEGIFRANCE, SHIPPED_LAW
from ui.views import common

settings = common.settings()
common.require_user()

st.title("Confidentialité")
st.markdown(
    "Cette application fonctionne **sur l'ordinateur de la mairie**. Les documents, les questions posées et les "
    "réponses restent sur cette machine. Aucune statistique d'usage n'est envoyée : la télémétrie de Streamlit "
    "et celle de Chroma sont désactivées au lancement."
)

st.subheader("Ce qui est conservé, et où")
store = settings.store
rows = [
    (
        "Base de connaissances",
        f"`{store}`",
        "Texte des documents découpé en passages, leurs métadonnées (commune, date, numéro…) et leurs vecteurs "
        "de recherche (base Chroma locale)"
        + (f", sur le serveur Chroma {settings.chroma_url}" if settings.chroma_url else "")
        + ".",
    ),
    (
        "Fichiers téléversés",
        f"`{store / 'uploads'}`",
        "Copie des PDF et CSV ajoutés depuis la page Documents ; retirer un document supprime aussi sa copie.",
    ),
    (
        "Cache des vecteurs",
        f"`{settings.cache_dir}`",
        "Vecteurs déjà calculés pour les passages, afin de ne pas les recalculer.",
    ),
    (
        "Comptes",
        f"`{settings.users_file}`",
        "Noms, rôles et mots de passe **hachés** (bcrypt) : les mots de passe eux-mêmes ne sont jamais conservés.",
    ),
    (
        "Journal d'audit",
        f"`{store / 'audit.log'}`",
        "Qui a ajouté ou retiré quels documents, et quand. Les questions posées n'y sont pas enregistrées.",
    ),
]
for label, where, what in rows:
    st.markdown(f"- **{label}** — {where}  \n  {what}")
st.caption(
    "Les documents originaux indexés depuis un dossier du serveur restent à leur place : l'application "
    "ne les modifie pas."
)

st.subheader("Ce qui peut sortir de la machine")
if settings.llm == "openai" and settings.llm_base_url:
    st.warning(
        f"Un serveur de modèle de langage externe est configuré : **{settings.llm_base_url}**. "
        "Pour chaque question, la question elle-même et les passages numérotés retenus pour y répondre sont "
        "envoyés à ce serveur. Rien d'autre n'est transmis (ni les comptes, ni le reste de la base)."
    )
else:
    st.success(
        "Rien. Les réponses sont construites localement"
        + (
            " avec un modèle de langage local."
            if settings.llm == "local"
            else " à partir des passages cités, sans modèle de langage externe."
        )
    )
st.markdown(
    "Si un serveur externe est configuré (`MAIRIE_LLM=openai` et `MAIRIE_LLM_BASE_URL`), la question et les "
    "passages numérotés retenus sont envoyés à ce serveur ; choisissez un serveur hébergé en France ou dans "
    "l'Union européenne et encadré par un contrat conforme au RGPD."
)
if settings.pseudonymize:
    st.info("Les noms de personnes privées sont pseudonymisés à l'indexation.")

st.subheader("Textes de loi")
st.markdown(
    "Les codes (CGCT, CRPA) sont livrés avec l'application et consultés sur cette machine, sans connexion. "
    "Chaque article indique la date de son texte consolidé (« texte consolidé au … ») et, quand une version plus "
    "récente est connue, le dit."
)
st.markdown(
    "Le pack juridique contient aussi un index des références des fiches Service-Public (DILA, licence Etalab "
    "2.0) : pour 57 fiches, leur titre, quelques mots de leurs rubriques et les articles du CGCT et du CRPA "
    "qu'elles citent, pour retrouver ces articles à partir des mots d'une question. Il ne contient aucune donnée "
    "personnelle et n'est jamais mis à jour par le réseau."
)
st.markdown(SHIPPED_LAW)
st.warning(NOT_LEGIFRANCE)

st.subheader("Vos droits")
st.markdown(
    "Les délibérations publiées sont des documents publics. Si un document indexé contient des données "
    "personnelles qui ne devraient pas y figurer, un administrateur peut le retirer depuis la page Documents ; "
    "le retrait efface ses passages de la base."
)
