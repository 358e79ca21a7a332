"""``POST /v1/rules/replay``: a candidate policy archive against every stored case."""

from __future__ import annotations

import io
import json
import tarfile
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.policy_archive import PolicyArchiveError, extract_policy_archive, safe_member_path
from rules import DEFAULT_POLICY_DIR
from tests.app.api.test_recommendations_api import UNUSUAL_DEAL


def policy_files(*, payment_days: int = 45) -> dict[str, bytes]:
    """The shipped policy's files, with the payment-terms threshold set to ``payment_days``."""
    files = {path.name: path.read_bytes() for path in sorted(DEFAULT_POLICY_DIR.glob("*.yaml"))}
    files["parameters.yaml"] = files["parameters.yaml"].replace(
        b"max_payment_terms_days: 45", f"max_payment_terms_days: {payment_days}".encode()
    )
    return files


def zip_archive(files: dict[str, bytes], folder: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(folder + name, data)
    return out.getvalue()


def tar_archive(files: dict[str, bytes], extra: list[tarfile.TarInfo] | None = None) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), int(time.time())
            archive.addfile(info, io.BytesIO(data))
        for info in extra or []:
            archive.addfile(info)
    return out.getvalue()


def replay(client: TestClient, archive: bytes, name: str = "policy.zip") -> Any:
    return client.post(
        "/v1/rules/replay", files=[("archive", (name, archive, "application/octet-stream"))]
    )


@pytest.fixture
def stored_case(client: TestClient) -> str:
    """A decided case whose payment terms (net 60) need finance today."""
    response = client.post("/v1/recommendations", json={"facts": UNUSUAL_DEAL})
    assert "finance.payment_terms" in {r["id"] for r in response.json()["decision"]["fired_rules"]}
    text = (
        b"MASTER SUBSCRIPTION AGREEMENT\n\nThis agreement is between Nimbus Cloud Inc. and "
        b"Harbor Foods Inc.\nInvoices are payable within sixty (60) days of receipt.\n"
        b"This Agreement is governed by the laws of the State of New York.\n"
    )
    accepted = client.post("/v1/cases", files=[("files", ("msa.txt", text, "text/plain"))])
    case_id: str = accepted.json()["case_id"]
    case = client.get(f"/v1/cases/{case_id}").json()
    assert "finance" in [a["role"] for a in case["approvals"]]
    return case_id


def test_a_looser_threshold_lists_the_decisions_it_changes(
    client: TestClient, stored_case: str
) -> None:
    for archive, name in (
        (zip_archive(policy_files(payment_days=90)), "policy.zip"),
        (
            tar_archive({f"policy/{k}": v for k, v in policy_files(payment_days=90).items()}),
            "p.tgz",
        ),
    ):
        response = replay(client, archive, name)
        assert response.status_code == 200, response.text
        report = response.json()
        assert report["cases"] == 1
        (change,) = report["changed"]
        assert change["case_id"] == stored_case
        assert "finance.payment_terms" in change["rules_no_longer_firing"]
        assert "finance" in change["approvals_removed"]
        assert report["old_version"] != report["new_version"]

    unchanged = replay(client, zip_archive(policy_files(), folder="policy/")).json()
    assert unchanged["cases"] == 1 and unchanged["changed"] == []


def test_an_invalid_policy_is_refused_with_its_problems(client: TestClient) -> None:
    files = policy_files()
    files["30-legal.yaml"] = files["30-legal.yaml"].replace(b"eq: true", b"eq: maybe", 1)
    response = replay(client, zip_archive(files))
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "policy_invalid"
    assert problem["issues"], problem
    assert problem["issues"][0]["file"].endswith("30-legal.yaml")
    assert "/tmp" not in json.dumps(problem)


@pytest.mark.parametrize(
    ("entries", "says"),
    [
        ({"../escape.yaml": b"x"}, "outside"),
        ({"policy/../../escape.yaml": b"x"}, "outside"),
        ({"/etc/cron.d/evil": b"x"}, "absolute"),
        ({"policy\\..\\evil.yaml": b"x"}, "character"),
    ],
)
def test_an_archive_that_escapes_its_folder_is_refused(
    client: TestClient, tmp_path: Path, entries: dict[str, bytes], says: str
) -> None:
    for archive in (zip_archive(entries), tar_archive(entries)):
        response = replay(client, archive)
        assert response.status_code == 422
        assert response.json()["code"] == "invalid_archive"
        assert says in response.json()["detail"]
    assert not (tmp_path.parent / "escape.yaml").exists()


def test_links_and_special_files_are_refused(client: TestClient) -> None:
    link = tarfile.TarInfo("policy/parameters.yaml")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    hard = tarfile.TarInfo("policy/rules.yaml")
    hard.type, hard.linkname = tarfile.LNKTYPE, "policy/x"
    fifo = tarfile.TarInfo("policy/pipe")
    fifo.type = tarfile.FIFOTYPE
    for info, says in ((link, "link"), (hard, "link"), (fifo, "special file")):
        response = replay(client, tar_archive({}, [info]), "p.tar.gz")
        assert response.status_code == 422
        assert response.json()["code"] == "invalid_archive"
        assert says in response.json()["detail"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        symlink = zipfile.ZipInfo("policy/parameters.yaml")
        symlink.external_attr = 0o120777 << 16  # a symbolic link
        archive.writestr(symlink, "/etc/passwd")
    response = replay(client, out.getvalue())
    assert response.json()["code"] == "invalid_archive"


def test_size_and_count_caps_hold_against_bombs(tmp_path: Path) -> None:
    bomb = zip_archive({"parameters.yaml": b"\0" * 50_000_000})
    assert len(bomb) < 100_000
    with pytest.raises(PolicyArchiveError, match="larger than"):
        extract_policy_archive(data=bomb, target=tmp_path / "a")
    tar_bomb = tar_archive({f"f{n}.yaml": b"\0" * 1_500_000 for n in range(20)})
    with pytest.raises(PolicyArchiveError, match="more than"):
        extract_policy_archive(data=tar_bomb, target=tmp_path / "b")
    many = zip_archive({f"f{n}.yaml": b"x" for n in range(300)})
    with pytest.raises(PolicyArchiveError, match="entries"):
        extract_policy_archive(data=many, target=tmp_path / "c")
    with pytest.raises(PolicyArchiveError, match=r"\.zip or \.tar\.gz"):
        extract_policy_archive(data=b"parameters: {}", target=tmp_path / "d")


def test_member_names_are_kept_inside() -> None:
    assert str(safe_member_path("./policy/30-legal.yaml")) == "policy/30-legal.yaml"
    for name in ("../x", "a/../../x", "/x", "C:/x", "a\\b", "a\0b"):
        with pytest.raises(PolicyArchiveError):
            safe_member_path(name)


def test_not_an_archive_and_oversized_archives_are_refused(client: TestClient) -> None:
    response = replay(client, b"just text")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_archive"
    big = replay(client, b"PK\x03\x04" + b"\0" * 6_000_000)
    assert big.status_code == 413
    missing = client.post("/v1/rules/replay", files=[("policy", ("p.zip", b"PK", "x"))])
    assert missing.status_code == 422
