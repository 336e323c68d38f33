"""ACTES matter codes (nomenclature of the préfecture's legality control) inferred from a deliberation's objet.

Keyword rules on the objet only: a code is returned when a rule matches, otherwise (None, None).
Precision matters more than coverage, so ambiguous words ("convention", "tarifs", "rapport") have no rule.

>>> infer_matiere("Subvention exceptionnelle pour l'association sportive")
('7.5', 'finances locales/subventions')
>>> infer_matiere("Désignation des délégués au conseil d'administration du collège")
('5.3', 'institutions et vie politique/désignation de représentants')
>>> infer_matiere("Informations du maire")
(None, None)
"""

from __future__ import annotations

import re

from rag.french import fold

# Level-1 and level-2 names of the ACTES nomenclature, as SCDL wants them in DELIB_MATIERE_NOM: "level 1/level 2",
# lowercase with accents, without commas or parentheses. The codes are those of
# corpus/schemas/actes_nomenclature/actes_matieres_niveau1_2.csv (a test checks that both lists agree).
MATIERES: dict[str, str] = {
    "1.1": "commande publique/marchés publics",
    "1.2": "commande publique/délégation de service public",
    "1.3": "commande publique/conventions de mandat",
    "1.4": "commande publique/autres types de contrats",
    "1.5": "commande publique/transactions /protocole d accord transactionnel",
    "1.6": "commande publique/actes relatifs à la maîtrise d œuvre",
    "1.7": "commande publique/actes spéciaux et divers",
    "2.1": "urbanisme/documents d urbanisme",
    "2.2": "urbanisme/actes relatifs au droit d occupation ou d utilisation des sols",
    "2.3": "urbanisme/droit de préemption urbain",
    "3.1": "domaine et patrimoine/acquisitions",
    "3.2": "domaine et patrimoine/aliénations",
    "3.3": "domaine et patrimoine/locations",
    "3.4": "domaine et patrimoine/limites territoriales",
    "3.5": "domaine et patrimoine/autres actes de gestion du domaine public",
    "3.6": "domaine et patrimoine/autres actes de gestion du domaine privé",
    "4.1": "fonction publique/personnel titulaires et stagiaires de la f.p.t.",
    "4.2": "fonction publique/personnel contractuel",
    "4.3": "fonction publique/fonction publique hospitalière",
    "4.4": "fonction publique/autres catégories de personnels",
    "4.5": "fonction publique/régime indemnitaire",
    "5.1": "institutions et vie politique/election exécutif",
    "5.2": "institutions et vie politique/fonctionnement des assemblées",
    "5.3": "institutions et vie politique/désignation de représentants",
    "5.4": "institutions et vie politique/délégation de fonctions",
    "5.5": "institutions et vie politique/délégation de signature",
    "5.6": "institutions et vie politique/exercice des mandats locaux",
    "5.7": "institutions et vie politique/intercommunalité",
    "5.8": "institutions et vie politique/décision d ester en justice",
    "6.1": "libertés publiques et pouvoirs de police/police municipale",
    "6.2": "libertés publiques et pouvoirs de police/pouvoir du président du conseil général",
    "6.3": "libertés publiques et pouvoirs de police/pouvoir du président du conseil régional",
    "6.4": "libertés publiques et pouvoirs de police/autres actes réglementaires",
    "6.5": "libertés publiques et pouvoirs de police/actes pris au nom de l etat et soumis au contrôle hiérarchique",
    "7.1": "finances locales/décisions budgétaires",
    "7.2": "finances locales/fiscalité",
    "7.3": "finances locales/emprunts",
    "7.4": "finances locales/interventions économiques",
    "7.5": "finances locales/subventions",
    "7.6": "finances locales/contributions budgétaires",
    "7.7": "finances locales/avances",
    "7.8": "finances locales/fonds de concours",
    "7.9": "finances locales/prise de participation sem etc...",
    "7.10": "finances locales/divers",
    "8.1": "domaines de compétences par thèmes/enseignement",
    "8.2": "domaines de compétences par thèmes/aide sociale",
    "8.3": "domaines de compétences par thèmes/voirie",
    "8.4": "domaines de compétences par thèmes/aménagement du territoire",
    "8.5": "domaines de compétences par thèmes/politique de la ville-habitat-logement",
    "8.6": "domaines de compétences par thèmes/emploi-formation professionnelle",
    "8.7": "domaines de compétences par thèmes/transports",
    "8.8": "domaines de compétences par thèmes/environnement",
    "8.9": "domaines de compétences par thèmes/culture",
    "9.1": "autres domaines de compétences/autres domaines de compétences des communes",
    "9.2": "autres domaines de compétences/autres domaines de compétences des départements",
    "9.3": "autres domaines de compétences/autres domaines de compétences des régions",
    "9.4": "autres domaines de compétences/voeux et motions",
}

# (code, pattern on the folded objet). The first matching rule wins, so specific rules come first.
_RULES: list[tuple[str, str]] = [
    ("9.4", r"\bv(?:oe|œ)u\b|\bmotion\b"),
    ("5.1", r"\belection (?:du maire|des? (?:\d+\s*(?:e|er|eme|ème)\s*)?adjoints?|du \d+\s*(?:e|eme|ème)? ?adjoint)"),
    ("5.8", r"\bester en justice\b|\baction en justice\b|\bdefendre (?:les interets|la commune)\b"),
    ("5.6", r"\bindemnites? (?:de fonction )?des elus\b|\bformation des elus\b|\bfrais de mission des elus\b"),
    ("5.4", r"\bdelegations? (?:d'attributions |de pouvoirs? )?(?:du conseil )?(?:municipal )?au maire\b"),
    (
        "5.3",
        r"\bdesignation\b|\belection des membres\b|\bdesigner\b|\bdelegues?\b|\brepresentants? (?:de la (?:ville|commune)|du conseil)\b",
    ),
    (
        "5.2",
        r"\breglement interieur du conseil\b|\bquestions diverses\b|\bfrequence des conseils\b"
        r"|\bcommissions? municipales?\b|\bconseil consultatif\b",
    ),
    (
        "5.7",
        r"\bclect\b|\bcommission locale d.evaluation des charges\b|\bpacte financier et fiscal\b"
        r"|\bstatuts du (?:sied|syndicat|sivu|sivom)\b|\bcommunaute de communes\b|\bintercommunal",
    ),
    ("4.5", r"\bregime indemnitaire\b|\brifseep\b|\bheures supplementaires\b|\bihts\b"),
    (
        "4.2",
        r"\bcontractuels?\b|\bemploi non permanent\b|\baccroissement temporaire\b|\bvacataires?\b"
        r"|\bapprentis?(?:sage)?\b|\bservice civique\b",
    ),
    (
        "4.1",
        r"\bcreation d.(?:un )?(?:poste|emploi)\b|\bsuppression d.(?:un )?(?:poste|emploi)\b"
        r"|\btableau des effectifs\b|\bpersonnel communal\b|\bpersonnel municipal\b",
    ),
    ("7.8", r"\bfonds de concours\b"),
    ("7.9", r"\bprise de participation\b|\bsociete d.economie mixte\b|\bsem\b|\bspl\b"),
    ("7.3", r"\bemprunts?\b|\bgaranties? d.emprunt\b|\bligne de tresorerie\b"),
    (
        "7.2",
        r"\bfiscalite\b|\btaux d.imposition\b|\btaux des (?:taxes|impots)\b|\btaxe d.amenagement\b"
        r"|\btaxe fonciere\b|\btaxe de sejour\b|\betat 1259\b",
    ),
    (
        "7.1",
        r"\bbudget (?:primitif|supplementaire|principal|annexe)\b|\bdecisions? modificatives?\b"
        r"|\bcompte administratif\b|\bcomptes? de gestion\b|\baffectations? (?:des |de )?resultats?\b"
        r"|\bvote du budget\b|\bbudget assainissement\b|\bautorisations? de programme\b|\bamortissements?\b|\bnomenclature (?:budgetaire|comptable)",
    ),
    ("7.4", r"\baides? (?:a|aux) (?:l.)?entreprises?\b|\baide economique\b"),
    ("7.5", r"\bsubventions?\b"),
    ("7.10", r"\badmissions? en non.valeur\b|\bcreances? eteintes?\b|\bregies?\b|\bremboursements? (?!des frais)"),
    ("2.1", r"\bplan local d.urbanisme\b|\bplu\b|\bpadd\b|\bscot\b|\bcarte communale\b"),
    ("2.3", r"\bpreemption\b"),
    ("2.2", r"\bpermis de construire\b|\bautorisations? d.urbanisme\b"),
    ("3.5", r"\bdomaine public\b"),
    (
        "3.6",
        r"\betat d.assiette\b|\bcoupes? de bois\b|\btravaux (?:sylvicoles|forestiers|en foret)\b"
        r"|\bforet communale\b",
    ),
    (
        "3.1",
        r"\bacquisitions?\b|\btransfert (?:de )?propriete\b|\bachat (?:d.(?:un|une) )?(?:garage|terrain|immeuble|parcelle|batiment|local)",
    ),
    ("3.2", r"\bcessions?\b|\baliena|\bventes? (?:de |des |d')"),
    ("3.3", r"\blocations?\b|\bbail\b|\bbaux\b"),
    ("1.2", r"\bdelegation de service public\b"),
    (
        "1.1",
        r"\bmarches? (?:public|publics|de travaux|de services|de fournitures)\b|\bappel d.offres\b"
        r"|\bavenant (?:n\S* ?\d+ )?au marche\b|\bgroupement de commandes\b|\bsigner les marches\b",
    ),
    ("8.2", r"\baide sociale\b|\bccas\b|\bcentre communal d.action sociale\b"),
    ("8.1", r"\bcantine\b|\brestauration scolaire\b|\becoles?\b|\bscolaires?\b|\benseignement\b|\brased\b"),
    ("8.3", r"\bvoirie\b|\bvoie publique\b|\bdeneigement\b|\bdenomination (?:de (?:la |l.)?|des )(?:rues?|voies?)"),
    ("8.5", r"\blogements? sociaux\b|\bhabitat\b|\bpolitique de la ville\b"),
    ("8.7", r"\btransports?\b"),
    ("8.8", r"\beolien|\benvironnement\b|\bassainissement\b|\beaux usees\b|\bdechets\b"),
    (
        "8.9",
        r"\bculture\b|\b(?:action|politique|saison|equipement|projet)s? culturel|\bmusee\b|\bmediatheque\b|\bbibliotheque\b|\bfestival\b|\btheatre\b",
    ),
]
_COMPILED = [(code, re.compile(pattern)) for code, pattern in _RULES]


def infer_matiere(objet: str, text: str = "") -> tuple[str, str] | tuple[None, None]:
    """ACTES code and SCDL name inferred from the objet; (None, None) when no rule is sure enough.

    `text` is only used when the objet is empty (its first 300 characters stand in for it).
    """
    probe = " ".join(fold(objet or "").split()) or " ".join(fold((text or "")[:300]).split())
    if not probe:
        return (None, None)
    for code, pattern in _COMPILED:
        if pattern.search(probe):
            return (code, MATIERES[code])
    return (None, None)
