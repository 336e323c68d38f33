"""Every retrieval tuning constant, in one place, with how it was chosen.

Figures come from docs/EVALUATION.md: `mairie eval benchmarks/gold.jsonl` on the full corpus (119
questions) and `benchmarks/gold_demo.jsonl` on the demo corpus (49 questions); the fusion grid is
`benchmarks/tune_retrieval.py --full-grid`. These are development figures (the gold sets were used to tune
them): change a value only with a new run of both gold sets, and update docs/EVALUATION.md.

The fusion weights, the RRF constant and the special-regime penalty are user settings (rag/settings.py:
rrf_k=20, bm25_weight=1.0, dense_weight=0.8, special_regime_penalty=0.5); their figures: weighted RRF k=20,
BM25 1.0 / dense 0.8 gives R@5 0.946 and MRR 0.837 on the full gold set (BM25 alone 0.883 / 0.808, dense
alone 0.829 / 0.751); the penalty alone is worth about 5 points of R@5 (0.892 -> 0.937). The refusal
thresholds belong to the answer step (rag/answer.py, rag/settings.py).
"""

from __future__ import annotations

# --- candidates -------------------------------------------------------------------------------------
# Candidates taken from each channel before fusion. Demo gold set (measured with each value): 30 loses
# paraphrased CGCT questions (R@5 1.000 -> 0.976, MRR 0.937 -> 0.933); 120 gains nothing.
CANDIDATES = 60

# --- BM25 (rag/lexical.py) --------------------------------------------------------------------------
# Okapi BM25 parameters: the textbook defaults, which bm25s also uses; not tuned (BM25 alone already gives
# R@5 0.883 on the full gold set, the fusion does the rest).
BM25_K1 = 1.2
BM25_B = 0.75

# --- context priors (rag/retrieve.py, HybridRetriever._context_priors) -------------------------------
# A question about what the law says ("peut-il", "quorum", "article") demotes council documents, and a
# question about what the council decided ("avons-nous voté", "subvention") demotes the law: one factor
# for both. Part of the priors that took the full gold set from R@5 0.892 / MRR 0.794 (plain fusion) to
# 0.946 / 0.837; on the demo gold set, removing it alone takes MRR from 0.937 to 0.934.
INTENT_DEMOTE = 0.75
# "dans une commune de 4 000 habitants": passages whose population thresholds include that size are
# favoured, those that exclude it demoted. Moved the full gold set's MRR from 0.828 to 0.837 (no effect on
# the demo set, whose questions name no population).
POPULATION_FITS = 1.2
POPULATION_CONTRADICTS = 0.7
# A commune named in the question ("Couthenans : quel montant ... ?") favours its passages and demotes the
# other communes'; a year named favours the passages of that year. Not measured on its own: set by hand
# for the three-commune full corpus (deliberation questions R@5 1.000 there with every prior on); neutral
# on the demo gold set (same figures with 1.0). Re-measure on gold.jsonl before changing them.
COMMUNE_BOOST = 1.3
OTHER_COMMUNE = 0.6
YEAR_BOOST = 1.2
# A question naming a commune or a period (rag.scope) is answered from that commune's or period's passages
# (and the law) only: each channel takes this many times CANDIDATES before the out-of-scope passages are
# dropped, so that about CANDIDATES remain. Not tuned: 4 x 60 keeps every demo gold question's document.
SCOPE_POOL = 4
# A year named admits the séances of the years around it: "le budget pour 2021" is voted in 2020, "le concours
# des maisons fleuries 2019" is paid in 2020 (full gold set: delib-pre-010, delib-pre-012). A year with no
# séance within this distance is "not indexed".
SCOPE_YEAR_SLACK = 1

# --- refusal (rag/answer.py, refusal_reason) ----------------------------------------------------------
# A rare noun of the question (a word after a determiner or "de", IDF at least KEY_NOUN_IDF: "l'abonnement",
# "du gymnase") that the best place of the passages leaves out raises the refusal threshold by
# KEY_NOUN_MARGIN: the passage is about something next to the question. Chosen on the tune halves
# (gold_demo.jsonl and gold_demo_absent.jsonl absent_tune); the held-out sets were measured once after.
KEY_NOUN_IDF = 4.0
KEY_NOUN_MARGIN = 0.06
# The nouns a determiner introduces with IDF at least TOPIC_NOUN_IDF ("la location de la salle des fêtes") name
# the question's topic: when the passages use them only apart (never two consecutive sentences holding them
# all), the threshold is raised by KEY_NOUN_MARGIN too.
TOPIC_NOUN_IDF = 3.5
# A capitalised word of the question this rare in the index ("L'Avitarelle") pins the lexical channel's first
# passage into the hits when no other hit writes it (rag.retrieve.rare_names)
NAME_PIN_IDF = 4.5
