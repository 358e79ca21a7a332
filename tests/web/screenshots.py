"""Screenshots of the upload, case, approver and dashboard pages, from a fresh service with
the bundled sample in it: ``python -m tests.web.screenshots --out DIR`` (not committed)."""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from app.settings import Settings
from tests.web.world import SAMPLE, chromium, served, sign_in, upload_bundle

PLAIN_ORDER = (
    "ORDER FORM\n\nCustomer: Brightside Dental LLC, 410 Pine Street, Albany, NY 12207, USA\n"
    "Provider: Nimbus Cloud Inc.\n\nPlan: Team, 12 seats at USD 50.00 per seat per month.\n"
    "Annual fees: USD 7,200.\nTerm: 12 months from the Effective Date, renewing automatically "
    "for successive 12-month terms.\nPayment: net 30 days from invoice.\n"
    "This Order Form is governed by the laws of the State of New York.\n"
)


def take(out: Path, width: int) -> dict[str, str]:
    """Fill a fresh service with two cases, then photograph each page; the files written."""
    shots: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        plain = root / "brightside-order-form.txt"
        plain.write_text(PLAIN_ORDER)
        settings = Settings(database_url=f"sqlite:///{root / 'triage.db'}", data_dir=root / "data")
        with served(settings) as service, chromium() as browser:
            base = service.url
            page = browser.new_page(viewport={"width": width, "height": 900})
            sign_in(page, base, "csm")
            page.goto(f"{base}/cases/new")
            page.screenshot(path=str(out / "upload.png"), full_page=True)
            shots["upload"] = str(out / "upload.png")
            upload_bundle(page, base, [plain], "Brightside Dental LLC")
            page.wait_for_selector("#case-body:not([aria-busy])", timeout=120_000)
            case_path = upload_bundle(
                page, base, [SAMPLE / "msa.pdf", SAMPLE / "order_form.docx"], "Kepler Maritime B.V."
            )
            page.wait_for_selector("#case-body:not([aria-busy])", timeout=120_000)
            page.screenshot(path=str(out / "case.png"), full_page=True)
            shots["case"] = str(out / "case.png")
            page.locator("a.cite").first.click()
            page.wait_for_selector("mark#quote")
            page.screenshot(path=str(out / "citation.png"))
            shots["citation"] = str(out / "citation.png")
            page.goto(f"{base}/cases")
            page.screenshot(path=str(out / "queue.png"), full_page=True)
            shots["queue"] = str(out / "queue.png")
            approver = browser.new_page(viewport={"width": width, "height": 900})
            sign_in(approver, base, "legal")
            approver.goto(f"{base}/approvals")
            approver.screenshot(path=str(out / "approver.png"), full_page=True)
            shots["approver"] = str(out / "approver.png")
            approver.get_by_label("Comment").first.fill("Liability carve-outs reviewed.")
            approver.get_by_role("button", name="Approve").first.click()
            approver.goto(f"{base}{case_path}")
            approver.goto(f"{base}/dashboard?period=all")
            approver.screenshot(path=str(out / "dashboard.png"), full_page=True)
            shots["dashboard"] = str(out / "dashboard.png")
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("var/screenshots"))
    parser.add_argument("--width", type=int, default=1280, help="Viewport width in pixels.")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    shots = take(args.out, args.width)
    for name, path in shots.items():
        print(f"{name:<10} {path}")
    print(json.dumps(shots))


if __name__ == "__main__":
    main()
