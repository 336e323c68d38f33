"""Character error rate (CER) of the OCR (ingest.ocr: OCRmyPDF + Tesseract, French) against ground truth.

    python benchmarks/ocr_cer.py [--cache-dir DIR] [--json OUT]

Two ground truths:
(a) rendered: text pages of the demo PDFs rendered to images (pdftoppm, 300 dpi) as a clean, a rotated
    (90° plus a 1.5° skew) and a noisy (Gaussian noise and speckles) scan, OCR'd, compared with their text
    layer (pypdf);
(b) hand: three pages of the Flaux scans typed by hand (benchmarks/ocr_ground_truth/).
CER = Levenshtein distance / reference length, after normalising whitespace, apostrophes, quotes and dashes
("cer": reading order counts, a table or a margin column read in another order is errors; "cer_any_order":
the OCR's lines are first put in the reference's order, so what remains are misread characters).
Pages per minute are measured on the pages that were not in the OCR cache.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.ocr import OcrCache, file_digest, ocr_pages  # noqa: E402
from ingest.pdf import load_pdf  # noqa: E402

DEMO = ROOT / "data" / "deliberations"
FLAUX = ROOT.parent / "shared" / "corpus" / "deliberations" / "flaux" / "docs"
TRUTH = ROOT / "benchmarks" / "ocr_ground_truth"
# (file under data/deliberations, page): single-column text pages of the three demo communes.
RENDERED = [
    ("montpellier/2014-04-24-0000071216.pdf", 1),
    ("couthenans/CR_reunion_20210604.pdf", 1),
    ("preuilly-sur-claise/PV_CM_2020-07-23.pdf", 2),
]
HAND = [
    ("PV_DU_15_DECEMBRE_2024-tampon.pdf", 5),
    ("COMPTE_RENDU_DU_31_MARS_2021.pdf", 2),
    ("COMPTE_RENDU_DU_15_OCTOBRE.pdf", 3),
]
VARIANTS = ("clean", "rotated", "noisy")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[’‘`´]", "'", text)
    text = re.sub(r"[“”«»]", '"', text)
    text = re.sub(r"[–—‐‑]", "-", text)
    text = re.sub(r"([A-Za-zÀ-ÿ])-\s*\n\s*([a-zà-ÿ])", r"\1\2", text)
    text = re.sub(r"\s*([,.;:])\s*", r"\1 ", text)  # "BARRAL,Maud" (text layers) = "BARRAL, Maud" (OCR)
    return " ".join(text.split())


def distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions), two rows at a time."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def cer(hypothesis: str, reference: str) -> float:
    ref, hyp = normalise(reference), normalise(hypothesis)
    return distance(hyp, ref) / max(1, len(ref))


def _reordered(hypothesis: str, reference: str) -> tuple[list[str], list[str], list[str]]:
    """(reference lines, OCR lines matched to them in the reference's order, OCR lines matching none);
    greedy, each OCR line used once."""
    ref_lines = [line for line in (normalise(x) for x in reference.splitlines()) if line]
    left = [line for line in (normalise(x) for x in hypothesis.splitlines()) if line]
    ordered: list[str] = []
    for line in ref_lines:
        if not left:
            break
        best = min(left, key=lambda h: distance(h, line) / max(1, len(line)))
        if distance(best, line) < len(line):
            ordered.append(best)
            left.remove(best)
    return ref_lines, ordered, left


def cer_any_order(hypothesis: str, reference: str) -> float:
    """CER after putting the OCR's lines in the reference's order (lines that match nothing go last): a
    margin column or a stamp read elsewhere on the page is not an error, a misread character is."""
    ref_lines, ordered, left = _reordered(hypothesis, reference)
    return cer(" ".join(ordered + left), " ".join(ref_lines))


def cer_matched(hypothesis: str, reference: str) -> float:
    """CER of the reference's lines only: OCR lines matching no reference line are left out. For rendered
    pages, whose text layer lacks the text drawn as pictures (ACTES stamp, logo), that the OCR reads too."""
    ref_lines, ordered, _ = _reordered(hypothesis, reference)
    return cer(" ".join(ordered), " ".join(ref_lines))


def _render(pdf: Path, page: int, variant: str, folder: Path) -> Path:
    """One page as a 300 dpi greyscale scan of the given variant, saved as a one-page image PDF."""
    from PIL import Image, ImageFilter

    stem = folder / f"{pdf.stem}-p{page}"
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "300",
            "-gray",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            "-png",
            str(pdf),
            str(stem),
        ],
        check=True,
    )
    image = Image.open(f"{stem}.png").convert("L")
    if variant == "rotated":
        image = image.rotate(-90, expand=True).rotate(1.5, expand=True, fillcolor=255)
    elif variant == "noisy":
        import numpy as np

        rng = np.random.default_rng(13)
        pixels = np.asarray(image, dtype=np.int16) + rng.normal(0, 30, image.size[::-1]).astype(np.int16)
        speckles = rng.random(pixels.shape)
        pixels[speckles < 0.002] = 0  # dust and toner
        pixels[speckles > 0.998] = 255
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
    out = folder / f"{pdf.stem}-p{page}-{variant}.pdf"
    epoch = time.gmtime(0)  # fixed dates: the same bytes every run, so the OCR cache recognises the page
    image.save(out, "PDF", resolution=300.0, creationDate=epoch, modDate=epoch)
    return out


def run(cache_dir: Path) -> dict[str, Any]:
    cache = OcrCache(cache_dir)
    timed_pages = 0
    timed_seconds = 0.0
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="ocr-cer-") as tmp:
        for name, page in RENDERED:
            pdf = DEMO / name
            reference = load_pdf(pdf, display=name, max_pages=100, isolate=False)[page - 1].text
            for variant in VARIANTS:
                scan = _render(pdf, page, variant, Path(tmp))
                cached = bool(cache.get(file_digest(scan)))
                started = time.perf_counter()
                read = ocr_pages(scan, [1], cache_dir=cache_dir)[1]
                if not cached:
                    timed_pages += 1
                    timed_seconds += time.perf_counter() - started
                rows.append(
                    {
                        "set": "rendered",
                        "variant": variant,
                        "file": name,
                        "page": page,
                        "cer": round(cer(read.text, reference), 4),
                        "cer_any_order": round(cer_any_order(read.text, reference), 4),
                        "cer_matched": round(cer_matched(read.text, reference), 4),
                        "confidence": read.confidence,
                        "chars": len(normalise(reference)),
                    }
                )
                print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    for name, page in HAND:
        pdf = FLAUX / name
        truth = (TRUTH / f"flaux_{Path(name).stem}_p{page}.txt").read_text(encoding="utf-8")
        cached = bool(cache.get(file_digest(pdf)).get(page))
        started = time.perf_counter()
        read = ocr_pages(pdf, [page], cache_dir=cache_dir)[page]
        if not cached:
            timed_pages += 1
            timed_seconds += time.perf_counter() - started
        rows.append(
            {
                "set": "hand",
                "variant": "real scan",
                "file": name,
                "page": page,
                "cer": round(cer(read.text, truth), 4),
                "cer_any_order": round(cer_any_order(read.text, truth), 4),
                "cer_matched": round(cer_matched(read.text, truth), 4),
                "confidence": read.confidence,
                "chars": len(normalise(truth)),
            }
        )
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    summary: dict[str, Any] = {"rows": rows}
    for key in ("clean", "rotated", "noisy", "real scan"):
        chosen = [r for r in rows if r["variant"] == key]
        total = sum(r["chars"] for r in chosen)
        if chosen:  # CER over the set: total errors / total reference characters
            summary[key] = {
                metric: round(sum(r[metric] * r["chars"] for r in chosen) / total, 4)
                for metric in ("cer", "cer_any_order", "cer_matched")
            }
    summary["pages_timed"] = timed_pages
    summary["pages_per_minute"] = round(timed_pages / timed_seconds * 60, 2) if timed_seconds else None
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "mairie-ocr-bench")
    parser.add_argument("--json", type=Path, help="Write the figures to this file.")
    args = parser.parse_args()
    summary = run(args.cache_dir)
    figures = {k: v for k, v in summary.items() if k != "rows"}
    print(json.dumps(figures, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
