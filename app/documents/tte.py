"""Electronic signatures (PAdES) on signed documents, made and checked with pyHanko.

An agency's certificate is a PKCS#12 file in PENKOM_SERTIFIKAT_DIR named after the agency's code
(`TNG.p12`); its passphrase comes from the environment (`PENKOM_SERTIFIKAT_SANDI_TNG`) or from a file
beside it (`TNG.sandi`, readable by the app's user only). A certificate issued by BSrE, exported as
PKCS#12, installs the same way. The verification page trusts the CA certificates in
`PENKOM_SERTIFIKAT_DIR/akar/` (PEM or DER) and nothing else. Nothing here goes on the network: no OCSP,
no CRL, no timestamp server (`allow_fetching=False`).

pyHanko and cryptography are imported on first use, like the PDF libraries (app/documents/pdf.py).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import io
import logging
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from flask import current_app

log = logging.getLogger(__name__)

DEMO = "DEMO"
DEMO_ORGANISASI = "Penkom DEMO — bukan sertifikat resmi"
DEMO_CA = "Penkom DEMO CA — bukan sertifikat resmi"
FIELD = "TTE-Penkom"
_STEM = re.compile(r"[A-Za-z0-9_-]{1,40}")
ROOT_SUFFIXES = (".pem", ".crt", ".cer", ".der")


class TteError(RuntimeError):
    """The agency's certificate cannot be used (unreadable, wrong passphrase, expired)."""


@dataclass(frozen=True)
class Sertifikat:
    """What a reader needs to know about a signing certificate."""

    nama: str
    organisasi: str
    penerbit: str
    berlaku_sampai: dt.datetime

    @property
    def demo(self) -> bool:
        return DEMO in self.organisasi.upper() or DEMO in self.penerbit.upper()

    @classmethod
    def of(cls, cert) -> Sertifikat:
        """From an asn1crypto certificate (what pyHanko hands out)."""
        subject, issuer = cert.subject.native, cert.issuer.native
        return cls(
            nama=str(subject.get("common_name", "")), organisasi=str(subject.get("organization_name", "")),
            penerbit=str(issuer.get("common_name") or issuer.get("organization_name") or ""),
            berlaku_sampai=cert.not_valid_after,
        )  # fmt: skip


class Penanda(Protocol):
    """Signs the final PDF of a document. Today a PKCS#12 file held by the server (Pkcs12Penanda); a
    remote signing service (the agency's e-office, BSrE's signing API) is another implementation of
    these two members, chosen in `penanda_for`."""

    sertifikat: Sertifikat

    def tandatangani(self, pdf: bytes, *, alasan: str, lokasi: str) -> bytes:
        """The same PDF with a PAdES signature over all of it, as an incremental update."""
        ...


class Pkcs12Penanda:
    def __init__(self, path: Path, sandi: bytes | None) -> None:
        from pyhanko.sign.signers import SimpleSigner

        signer = SimpleSigner.load_pkcs12(str(path), passphrase=sandi)
        if signer is None:  # pyHanko logs the reason (wrong passphrase, not PKCS#12)
            raise TteError(path.name)
        self._signer = signer
        self.sertifikat = Sertifikat.of(signer.signing_cert)

    def tandatangani(self, pdf: bytes, *, alasan: str, lokasi: str) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign.fields import SigSeedSubFilter
        from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner

        meta = PdfSignatureMetadata(field_name=FIELD, subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256",
                                    reason=alasan, location=lokasi)  # fmt: skip
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        return _blocking(PdfSigner(meta, signer=self._signer).sign_pdf, writer).getvalue()


def _blocking(fn, *args):
    """Call one of pyHanko's blocking functions. They use asyncio.run(), which fails inside a running event
    loop (Playwright in the browser tests, an async server): there, the call runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()


# -- where certificates live ----------------------------------------------------------------------


def folder() -> Path:
    return Path(current_app.config["PENKOM_SERTIFIKAT_DIR"])


def _stem(kode: str | None) -> str | None:
    """The agency code as a file name; a code with other characters cannot have a certificate file."""
    return kode if kode and _STEM.fullmatch(kode) else None


def _passphrase(stem: str) -> bytes | None:
    name = "PENKOM_SERTIFIKAT_SANDI_" + stem.upper().replace("-", "_")
    value = os.environ.get(name) or current_app.config.get(name)
    if value:
        return str(value).encode()
    path = folder() / f"{stem}.sandi"
    return path.read_bytes().strip() if path.is_file() else None


def penanda_for(instansi) -> Penanda | None:
    """The agency's signer, or None when it has no certificate (its documents carry QR and hash only)."""
    stem = _stem(instansi.kode)
    path = folder() / f"{stem}.p12" if stem else None
    if path is None or not path.is_file():
        return None
    penanda = Pkcs12Penanda(path, _passphrase(stem))
    if penanda.sertifikat.berlaku_sampai < dt.datetime.now(dt.UTC):
        raise TteError(f"{path.name} expired")
    return penanda


def trust_roots() -> list:
    from pyhanko.keys import load_certs_from_pemder

    roots = []
    akar = folder() / "akar"
    for path in sorted(akar.iterdir()) if akar.is_dir() else []:
        if path.suffix.lower() in ROOT_SUFFIXES:
            try:
                roots.extend(load_certs_from_pemder([str(path)]))
            except Exception:  # noqa: BLE001 - a stray file in akar/ must not take the verification page down
                log.warning("Trust root %s could not be read", path)
    return roots


# -- checking a signed file ------------------------------------------------------------------------


@dataclass(frozen=True)
class Pemeriksaan:
    """What pyHanko found in a PDF: a signature or not, intact (covers the whole file, unchanged),
    trusted (its certificate chains to a configured trust root)."""

    terbaca: bool = True
    ada: bool = False
    utuh: bool = False
    tepercaya: bool = False
    sertifikat: Sertifikat | None = None
    waktu: dt.datetime | None = None

    @property
    def sah(self) -> bool:
        return self.ada and self.utuh and self.tepercaya


def periksa(pdf: bytes) -> Pemeriksaan:
    """Validate every embedded signature of `pdf` offline against the configured trust roots."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception:  # noqa: BLE001 - any upload reaches here; a damaged PDF fails in many ways: unreadable
        return Pemeriksaan(terbaca=False)
    if not signatures:
        return Pemeriksaan()
    context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False, revocation_mode="soft-fail")
    statuses = []
    for signature in signatures:
        try:
            statuses.append(_blocking(validate_pdf_signature, signature, context))
        except Exception:  # noqa: BLE001 - a damaged signature fails in many ways: not intact
            log.info("A signature could not be validated", exc_info=True)
            return Pemeriksaan(ada=True)
    last = statuses[-1]
    utuh = all(s.intact and s.valid for s in statuses) and last.coverage == SignatureCoverageLevel.ENTIRE_FILE
    return Pemeriksaan(
        ada=True, utuh=utuh, tepercaya=all(s.trusted for s in statuses),
        sertifikat=Sertifikat.of(last.signing_cert), waktu=last.signer_reported_dt,
    )  # fmt: skip


# -- the demo's certificates -----------------------------------------------------------------------


def _write_private(path: Path, data: bytes) -> None:
    """Write a key or passphrase readable by the app's user only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _name(common_name: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_ORGANISASI),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
    ])  # fmt: skip


def _certificate(subject, issuer, public_key, issuer_key, years: int, ca: bool):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    now = dt.datetime.now(dt.UTC)
    usage = dict(digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
                 data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca, encipher_only=False,
                 decipher_only=False)  # fmt: skip
    builder = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(x509.KeyUsage(**usage), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    )  # fmt: skip
    return builder.sign(issuer_key, hashes.SHA256())


def _demo_ca(base: Path):
    """The demo CA: reused when the folder has one, so earlier demo letters stay trusted."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key_path, cert_path = base / "demo-ca" / "kunci.pem", base / "akar" / "penkom-demo-ca.pem"
    if key_path.is_file() and cert_path.is_file():
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        return key, x509.load_pem_x509_certificate(cert_path.read_bytes())
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = _certificate(_name(DEMO_CA), _name(DEMO_CA), key.public_key(), key, years=10, ca=True)
    key_path.parent.mkdir(parents=True, exist_ok=True)
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    _write_private(key_path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))  # fmt: skip
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert


def demo_certificates(agencies) -> list[str]:
    """A demo CA and a signing certificate (PKCS#12 + passphrase file) for each agency that has no
    certificate file yet; an installed certificate is never replaced. Returns the agency codes served."""
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    base = folder()
    made = []
    ca_key = ca_cert = None
    for instansi in agencies:
        stem = _stem(instansi.kode)
        if stem is None or (base / f"{stem}.p12").exists():
            continue
        if ca_key is None:
            ca_key, ca_cert = _demo_ca(base)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = _certificate(_name(instansi.nama), ca_cert.subject, key.public_key(), ca_key, years=5, ca=False)
        sandi = secrets.token_urlsafe(18).encode()
        bundle = pkcs12.serialize_key_and_certificates(stem.encode(), key, cert, [ca_cert],
                                                       BestAvailableEncryption(sandi))  # fmt: skip
        _write_private(base / f"{stem}.sandi", sandi)
        _write_private(base / f"{stem}.p12", bundle)
        made.append(instansi.kode)
    return made
