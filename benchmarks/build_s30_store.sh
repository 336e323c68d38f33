#!/usr/bin/env bash
# Rebuild the store used to measure benchmarks/gold_decisions_s30.jsonl and benchmarks/gold_s30_absent.jsonl
# (see docs/EVALUATION.md, session 30).
#
# Contents: 17 Montpellier deliberations of 2013 and 2014 (text PDFs): of 4 February 2013, the concession of the
# Panacée art centre's bar-restaurant, the Cœur de Livres grant and partnership (Comédie du Livre), the rules of the
# "Clé Montpellier Logement GRL" subsidy (rent-guarantee insurance for landlords letting to young workers; the PDF
# prints the number 2012/50), an OPAH grant to two owners of the Cévennes 1 copropriété and the OPAH Grand Cœur
# grants to six buildings of the centre; of 25 March 2013, the OCCE 34 grant for snow and green classes (25 schools)
# and the multi-year programme of access to permanent posts (law of 12 March 2012); of 17 June 2013, the delegated
# management of the Fonds départemental d'aide aux jeunes, the purchase of a strip of the Biau property (168 impasse
# d'Arcole) for a footpath and a GRL subsidy to one landlord; of 22 May 2014, the election of the commission de
# délégation de service public, designations to the Comité 21, the APAJH, the regional youth and sports commission
# (CRJSVA), the CRIJ and the commission locale du secteur sauvegardé, and an OPAH grant to three owners of Cévennes 1;
# plus three distractors of other communes (no question of this set points at them): the Couthenans compte rendu of
# 17 September 2021, the Preuilly-sur-Claise PV of 23 July 2020 (the only Preuilly document of the corpus) and the
# SCANNED Flaux PV of 17 November 2023 (file PV_DU_17_NOVEMBRE-tampon.pdf, read by OCR at ingestion).
# No answer gold set used the 17 Montpellier documents before this one (names checked by grep of benchmarks/ and data/;
# four of them are only cited as nearest text in gold_full_absent_notes.md).
# BLIND SET: written during session 30 from the documents only (pypdf and pdftotext text), by a helper that never ran
# the product and never read its code; measured blind during the session.
#
# OCR needs ocrmypdf and tesseract-ocr-fra, or the OCR cache of a previous run (MAIRIE_CACHE_DIR/ocr).
# Usage: benchmarks/build_s30_store.sh [STORE_DIR]   (default /tmp/s30-store; run from the repo root)
set -euo pipefail
STORE="${1:-/tmp/s30-store}"
CORPUS="${MAIRIE_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus}"
PYTHON="${PYTHON:-python}"  # the venv's python (activate it, or set PYTHON)
export MAIRIE_STORE="$STORE"
MTP="$CORPUS/deliberations/montpellier/pdfs"
"$PYTHON" -m ui.cli ingest --commune Montpellier \
  "$MTP/2013-02-04-0000061109.pdf" \
  "$MTP/2013-02-04-0000061114.pdf" \
  "$MTP/2013-02-04-0000061127.pdf" \
  "$MTP/2013-02-04-0000061136.pdf" \
  "$MTP/2013-02-04-0000061139.pdf" \
  "$MTP/2013-03-25-0000062237.pdf" \
  "$MTP/2013-03-25-0000062246.pdf" \
  "$MTP/2013-06-17-0000064270.pdf" \
  "$MTP/2013-06-17-0000064294.pdf" \
  "$MTP/2013-06-17-0000064302.pdf" \
  "$MTP/2014-05-22-0000072070.pdf" \
  "$MTP/2014-05-22-0000072081.pdf" \
  "$MTP/2014-05-22-0000072104.pdf" \
  "$MTP/2014-05-22-0000072112.pdf" \
  "$MTP/2014-05-22-0000072115.pdf" \
  "$MTP/2014-05-22-0000072127.pdf" \
  "$MTP/2014-05-22-0000072159.pdf"
"$PYTHON" -m ui.cli ingest --commune Couthenans "$CORPUS/deliberations/couthenans/pdfs/CR_reunion_20210917.pdf"
"$PYTHON" -m ui.cli ingest --commune Preuilly-sur-Claise "$CORPUS/deliberations/preuilly-sur-claise/PV_CM_2020-07-23.pdf"
"$PYTHON" -m ui.cli ingest --commune Flaux "$CORPUS/deliberations/flaux/docs/PV_DU_17_NOVEMBRE-tampon.pdf"
