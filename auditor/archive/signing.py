"""Ed25519 signatures of the manifests (the ``cryptography`` package).

The private key is PEM, PKCS8, unencrypted, readable by its owner only; the public key is
PEM (SubjectPublicKeyInfo) beside it: ``archive-key.pem`` → ``archive-key.pub.pem``. A key's
fingerprint is ``sha256:`` and the SHA-256 of the public key's DER form, which
``openssl pkey -pubin -in archive-key.pub.pem -outform DER | sha256sum`` also gives.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from auditor.errors import ArchiveError

SCHEME = "ed25519"


def public_key_path(private_key: Path) -> Path:
    """Where the public key of ``private_key`` lives: ``x.pem`` → ``x.pub.pem``."""
    name = private_key.name.removesuffix(".pem")
    return private_key.with_name(f"{name}.pub.pem")


def fingerprint(public: Ed25519PublicKey) -> str:
    der = public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return "sha256:" + hashlib.sha256(der).hexdigest()


class Ed25519Signer:
    scheme = SCHEME

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key
        self.fingerprint = fingerprint(key.public_key())

    def sign(self, data: bytes) -> bytes:
        return self._key.sign(data)

    def verifier(self) -> Ed25519Verifier:
        return Ed25519Verifier(self._key.public_key())


class Ed25519Verifier:
    scheme = SCHEME

    def __init__(self, key: Ed25519PublicKey) -> None:
        self._key = key
        self.fingerprint = fingerprint(key)

    def verify(self, data: bytes, signature: bytes) -> bool:
        try:
            self._key.verify(signature, data)
        except InvalidSignature:
            return False
        return True


def generate_key(out: Path) -> tuple[Path, Path]:
    """Write a new private key to ``out`` (0600, never over an existing file) and its public
    key beside it; return both paths."""
    public_path = public_key_path(out)
    for path in (out, public_path):
        if path.exists():
            raise ArchiveError(
                f"{path} exists already", hint="choose another --out, or move the old key away"
            )
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(private_pem)
        public_path.write_bytes(public_pem)
    except OSError as exc:
        raise ArchiveError(f"cannot write the key to {out}: {exc.strerror}") from exc
    return out, public_path


def load_signer(path: Path) -> Ed25519Signer:
    """The signer of the private key at ``path``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArchiveError(
            f"cannot read the archive key {path}: {exc.strerror}",
            hint="set archive.key_path, or write a key with `auditor archive keygen --out PATH`",
        ) from exc
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise ArchiveError(f"{path} is not an unencrypted PEM private key: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ArchiveError(f"{path} is not an Ed25519 key (archive.key_path)")
    return Ed25519Signer(key)


def load_verifier(path: Path) -> Ed25519Verifier:
    """The verifier of the configured key: from the private key at ``path`` if it is there,
    else from its public key beside it (a machine that only checks needs only that)."""
    if path.exists():
        return load_signer(path).verifier()
    public_path = public_key_path(path)
    try:
        key = serialization.load_pem_public_key(public_path.read_bytes())
    except OSError as exc:
        raise ArchiveError(
            f"cannot read the archive key {path} nor its public key {public_path}",
            hint="check archive.key_path",
        ) from exc
    except ValueError as exc:
        raise ArchiveError(f"{public_path} is not a PEM public key: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise ArchiveError(f"{public_path} is not an Ed25519 public key")
    return Ed25519Verifier(key)
