"""Nouveaux élus: a 12-step path through a councillor's first months, each step backed by cited sources."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from rag.errors import KbError
from rag.schema import Answer, Filters, ScoredChunk
from ui.views import common

STEP_KEY = "onboarding_step"
JUMP_KEY = "onboarding_jump"
# A deliberation is proposed for a step only if it is this close in meaning (e5 cosine) to the topic.
DELIB_MIN_DENSE = 0.84


@dataclass(frozen=True, slots=True)
class Step:
    title: str
    intro: str
    question: str
    topic: str  # words used to look for the commune's own deliberations


STEPS = (
    Step(
        "Le rôle du conseiller municipal",
        "Le conseil municipal est l'assemblée délibérante de la commune. Ses membres, élus pour six ans, "
        "votent les décisions qui engagent la commune : budget, services publics, patrimoine, personnel, "
        "subventions… Le maire prépare et exécute ces décisions. Chaque conseiller participe aux séances, "
        "peut poser des questions et contribue au travail des commissions.",
        "Comment le conseil municipal règle-t-il les affaires de la commune ?",
        "le conseil municipal règle par ses délibérations les affaires de la commune",
    ),
    Step(
        "Les séances et les convocations",
        "Le conseil se réunit au moins une fois par trimestre, sur convocation du maire. La convocation est "
        "adressée à chaque conseiller dans un délai fixé par la loi, qui dépend de la taille de la commune ; "
        "en cas d'urgence, ce délai peut être abrégé. Les séances sont en principe publiques.",
        "Quel est le délai de convocation du conseil municipal ?",
        "convocation séance du conseil municipal",
    ),
    Step(
        "L'ordre du jour",
        "La convocation indique les questions portées à l'ordre du jour. Le conseil ne délibère, en principe, "
        "que sur ces questions : c'est ce qui permet à chaque élu de préparer la séance. Les conseillers "
        "peuvent aussi poser des questions orales sur les affaires de la commune.",
        "Que doit indiquer la convocation sur l'ordre du jour de la séance ?",
        "ordre du jour questions diverses",
    ),
    Step(
        "Le quorum et les pouvoirs",
        "Pour délibérer valablement, la majorité des membres en exercice doit être présente : c'est le quorum. "
        "Un conseiller empêché peut donner pouvoir écrit de voter en son nom à un collègue ; un conseiller ne "
        "peut détenir qu'un seul pouvoir.",
        "Quel est le quorum pour que le conseil municipal délibère valablement ?",
        "quorum pouvoir procuration présents représentés",
    ),
    Step(
        "Les votes et le scrutin secret",
        "Les délibérations sont prises à la majorité absolue des suffrages exprimés. Le vote a lieu le plus "
        "souvent à main levée ; il se fait au scrutin secret dans certains cas, notamment pour une nomination, "
        "ou à la demande d'une partie des membres présents.",
        "Quand le vote a-t-il lieu au scrutin secret ?",
        "vote scrutin secret élection désignation",
    ),
    Step(
        "Le budget",
        "Le budget prévoit et autorise les recettes et les dépenses de l'année. Il est voté par le conseil, "
        "peut être modifié en cours d'année (décisions modificatives) et son exécution est retracée dans le "
        "compte administratif, arrêté par le conseil après la clôture de l'exercice.",
        "Quand le conseil municipal arrête-t-il le compte administratif ?",
        "budget décision modificative compte administratif crédits",
    ),
    Step(
        "Les délégations du maire",
        "Pour que la commune fonctionne au quotidien, le conseil peut déléguer au maire, pour la durée du "
        "mandat, une partie de ses attributions (contrats, tarifs, actions en justice…). Le maire rend compte "
        "au conseil des décisions prises à ce titre ; le conseil peut mettre fin à une délégation.",
        "Quelles attributions le conseil municipal peut-il déléguer au maire ?",
        "délégations du conseil municipal au maire",
    ),
    Step(
        "Les commissions",
        "Le conseil peut créer des commissions chargées d'étudier les questions avant la séance (finances, "
        "travaux, écoles…). Elles préparent le travail mais ne décident pas à la place du conseil. Dans les "
        "communes de plus de 1 000 habitants, leur composition respecte la représentation proportionnelle.",
        "Le conseil municipal peut-il former des commissions ?",
        "commission municipale désignation des membres",
    ),
    Step(
        "Le droit à la formation",
        "Chaque élu a droit à une formation adaptée à ses fonctions, financée par la commune dans les limites "
        "fixées par la loi, ainsi qu'à un droit individuel à la formation. Le conseil délibère sur l'exercice "
        "de ce droit par ses membres.",
        "Quel est le droit à la formation des élus municipaux ?",
        "formation des élus",
    ),
    Step(
        "Les indemnités",
        "Les fonctions d'élu sont en principe gratuites. Le maire, les adjoints et, dans certains cas, les "
        "conseillers peuvent toutefois percevoir une indemnité de fonction, fixée par délibération dans les "
        "limites d'un barème légal. Certains frais peuvent être remboursés.",
        "Comment sont fixées les indemnités de fonction du maire et des adjoints ?",
        "indemnités de fonction des élus frais de déplacement",
    ),
    Step(
        "Déontologie et conflits d'intérêts",
        "Un élu qui a un intérêt personnel dans une affaire (pour lui-même, un proche, une association qu'il "
        "dirige…) ne doit pas prendre part à la délibération ni au vote. Une délibération prise avec la "
        "participation d'un élu intéressé peut être annulée. En cas de doute, mieux vaut se retirer et le "
        "faire noter au procès-verbal.",
        "Un conseiller intéressé à l'affaire peut-il prendre part à la délibération ?",
        "conseiller intéressé ne prend pas part au vote",
    ),
    Step(
        "L'accès aux documents",
        "Tout conseiller a le droit d'être informé des affaires qui font l'objet d'une délibération. Les "
        "procès-verbaux, budgets et comptes peuvent être consultés, y compris par les habitants. Pour un "
        "dossier précis, adressez-vous au secrétariat de mairie.",
        "Quel est le droit des membres du conseil municipal à être informés des affaires de la commune ?",
        "information des conseillers communication des documents procès-verbal",
    ),
)

GLOSSARY = {
    "Adjoint au maire": "Élu désigné par le conseil parmi ses membres pour seconder le maire ; il peut recevoir "
    "une délégation de fonctions.",
    "Budget primitif": "Premier acte budgétaire de l'année : il prévoit et autorise les recettes et les dépenses.",
    "Compte administratif": "Document qui retrace l'exécution du budget de l'année écoulée, arrêté par le conseil.",
    "Contrôle de légalité": "Vérification par la préfecture que les actes de la commune respectent la loi.",
    "Convocation": "Document adressé par le maire aux conseillers pour les réunir ; elle indique l'ordre du jour.",
    "Décision modificative": "Délibération qui modifie le budget en cours d'année.",
    "Délégation": "Transfert d'une attribution (du conseil au maire, ou du maire à un adjoint) dans les limites "
    "fixées par la loi ou par la délibération.",
    "Délibération": "Décision prise par le conseil municipal après débat et vote.",
    "Débat d'orientation budgétaire": "Débat qui précède le vote du budget dans les communes d'une certaine "
    "taille, sur les grandes orientations financières.",
    "Exécutoire": "Se dit d'un acte qui produit ses effets, après publication ou transmission à la préfecture.",
    "Intercommunalité (EPCI)": "Établissement public qui regroupe plusieurs communes pour exercer des "
    "compétences en commun.",
    "Majorité absolue": "Plus de la moitié des suffrages exprimés.",
    "Ordre du jour": "Liste des questions sur lesquelles le conseil délibère lors d'une séance.",
    "Pouvoir (procuration)": "Mandat écrit par lequel un conseiller absent charge un collègue de voter en son nom.",
    "Procès-verbal": "Compte rendu officiel d'une séance, qui retrace les débats et les décisions.",
    "Quorum": "Nombre minimal de conseillers présents pour que le conseil puisse délibérer valablement.",
    "Rapporteur": "Élu qui présente une affaire au conseil avant le débat et le vote.",
    "Recueil des actes administratifs": "Publication qui rassemble les actes de la commune pour les rendre "
    "accessibles.",
    "Scrutin secret": "Vote à bulletin secret, obligatoire dans certains cas (nominations, demande d'une partie "
    "des membres).",
    "Secrétaire de séance": "Conseiller désigné en début de séance pour veiller à la rédaction du procès-verbal.",
    "Séance publique": "Séance à laquelle le public peut assister ; le huis clos reste l'exception.",
    "Suffrages exprimés": "Votes pour et contre ; les abstentions et les bulletins blancs ou nuls n'en font pas "
    "partie.",
}

kb = common.get_kb()
user = common.require_user()


@st.cache_data(show_spinner="Recherche des sources…", max_entries=64)
def step_answer(_kb: object, key: str, question: str) -> Answer:
    return _kb.ask(question)  # type: ignore[attr-defined]


@st.cache_data(show_spinner=False, max_entries=64)
def step_deliberations(_kb: object, key: str, topic: str) -> list[ScoredChunk]:
    hits = _kb.search(topic, top_k=8, filters=Filters(kind="deliberation"))  # type: ignore[attr-defined]
    close = [h for h in hits if h.channel_scores.get("dense", 1.0) >= DELIB_MIN_DENSE]
    return sorted(close, key=lambda h: str(h.chunk.meta.get("date") or ""), reverse=True)[:3]


def go(step: int) -> None:
    step = max(0, min(len(STEPS) - 1, step))
    st.session_state[STEP_KEY] = step
    st.session_state[JUMP_KEY] = step


st.title("Parcours des nouveaux élus")
st.caption(
    "Douze étapes pour comprendre le fonctionnement du conseil municipal. Chaque étape renvoie aux textes "
    "et, quand il y en a, aux délibérations de la commune. Ces repères ne remplacent pas un conseil "
    "juridique : en cas de doute, interrogez le contrôle de légalité de la préfecture ou l'association "
    "départementale des maires."
)
parcours, glossaire = st.tabs(["Parcours en 12 étapes", "Glossaire"])

with parcours:
    index = int(st.session_state.get(STEP_KEY, 0))
    step = STEPS[index]
    st.progress((index + 1) / len(STEPS), text=f"Étape {index + 1} sur {len(STEPS)}")
    st.session_state.setdefault(JUMP_KEY, index)
    st.selectbox(
        "Aller à l'étape",
        list(range(len(STEPS))),
        key=JUMP_KEY,
        format_func=lambda i: f"{i + 1}. {STEPS[i].title}",
        on_change=lambda: go(int(st.session_state[JUMP_KEY])),
    )
    st.header(f"{index + 1}. {step.title}")
    st.markdown(step.intro)
    st.markdown(f"**Ce que disent les textes** — *{common.md_escape(step.question)}*")
    answer: Answer | None
    try:
        answer = step_answer(kb, common.generation(kb), step.question)
    except KbError as e:
        st.error(f"Les sources de cette étape n'ont pas pu être cherchées : {e}")
        answer = None
    if answer is not None:
        if not answer.found:
            st.warning("Aucun texte indexé ne répond clairement à cette question ; interrogez le secrétariat.")
        for citation in answer.citations:
            common.source_card(citation.chunk, key=f"o{index}-{citation.n}", n=citation.n, quote=citation.quote)
    try:
        delibs = step_deliberations(kb, common.generation(kb), step.topic)
    except KbError:
        delibs = []
    if delibs:
        st.markdown("**Délibérations de la commune sur ce thème** (les plus récentes, à vérifier)")
        for rank, hit in enumerate(delibs, start=1):
            common.source_card(hit.chunk, key=f"od{index}-{rank}", full_text=False)
    else:
        st.caption("Aucune délibération indexée ne semble porter sur ce thème.")
    previous, _, following = st.columns([1, 2, 1])
    previous.button("← Étape précédente", disabled=index == 0, on_click=go, args=(index - 1,), key="onb-prev")
    following.button(
        "Étape suivante →", disabled=index == len(STEPS) - 1, on_click=go, args=(index + 1,), key="onb-next"
    )

with glossaire:
    st.caption(f"{len(GLOSSARY)} termes courants du conseil municipal.")
    for term, definition in GLOSSARY.items():
        st.markdown(f"**{term}** — {definition}")
