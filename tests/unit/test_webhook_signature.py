"""BookMyColiving webhook signatures: the library check and the local tool, against vectors computed here."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest
import respx

from rentalot_mcp.runtime import Runtime
from rentalot_mcp.webhooks import bmc_timestamp, sign_bmc, verify_bmc_signature
from tests.conftest import fake_settings

SECRET = "whsec_test_5f2d9a0b7c1e"
TIMESTAMP = "2026-04-25T10:00:00.000Z"
SENT_AT = datetime(2026, 4, 25, 10, 0, tzinfo=UTC)
BODY = (
    b'{"event":"lead.created","timestamp":"2026-04-25T10:00:00.000Z",'
    b'"data":{"id":"lead_abc","propertyId":"prop_xyz","guestName":"J\xc3\xa9"}}'
)


def reference_signature(body: bytes, timestamp: str, secret: str) -> str:
    """Computed straight from the platform's recipe, independently of the code under test."""
    return hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


SIGNATURE = reference_signature(BODY, TIMESTAMP, SECRET)


def test_known_vectors() -> None:
    """Fixed vectors (from `openssl dgst -sha256 -hmac`) pin the signed material: timestamp, a dot, the raw body."""
    assert sign_bmc(b"{}", "t", "s") == "804c58dd0877bb91604cb639b13eba5ad8bed13fed85b039c00be904d6630eb3"
    assert (
        sign_bmc(b'{"event":"lead.created"}', TIMESTAMP, SECRET)
        == "9dbb73bb3324b3f0057a39ac0bbfab14cf9f2b6aa7543237f88e8832f29480ca"
    )
    assert sign_bmc(BODY, TIMESTAMP, SECRET) == SIGNATURE


@pytest.mark.parametrize("offset", [0, 1, 299, 300, -299, -300])
def test_a_genuine_delivery_within_five_minutes_is_valid(offset: int) -> None:
    verdict = verify_bmc_signature(BODY, TIMESTAMP, SIGNATURE, SECRET, now=SENT_AT + timedelta(seconds=offset))
    assert verdict and verdict.valid
    assert "fresh" in verdict.reason


def test_uppercase_hex_and_surrounding_space_are_accepted() -> None:
    assert verify_bmc_signature(BODY, TIMESTAMP, f" {SIGNATURE.upper()} ", SECRET, now=SENT_AT)


@pytest.mark.parametrize(
    "body",
    [
        BODY.replace(b"lead_abc", b"lead_abd"),
        BODY + b" ",
        json.dumps(json.loads(BODY)).encode(),  # re-serialised: same JSON, different bytes
        b"",
    ],
    ids=["changed-value", "trailing-space", "reserialised", "empty"],
)
def test_a_tampered_body_is_refused(body: bytes) -> None:
    verdict = verify_bmc_signature(body, TIMESTAMP, SIGNATURE, SECRET, now=SENT_AT)
    assert not verdict
    assert verdict.reason.startswith("signature mismatch")


def test_a_wrong_secret_is_refused_without_naming_either_secret() -> None:
    verdict = verify_bmc_signature(BODY, TIMESTAMP, SIGNATURE, SECRET + "x", now=SENT_AT)
    assert not verdict and verdict.reason.startswith("signature mismatch")
    assert SECRET not in verdict.reason
    assert not verify_bmc_signature(BODY, TIMESTAMP, SIGNATURE, "", now=SENT_AT)


def test_a_swapped_timestamp_is_refused_even_when_fresh() -> None:
    """The timestamp is signed: moving it forward to dodge the window breaks the signature."""
    later = "2026-04-25T10:10:00.000Z"
    verdict = verify_bmc_signature(BODY, later, SIGNATURE, SECRET, now=SENT_AT + timedelta(minutes=10))
    assert not verdict and verdict.reason.startswith("signature mismatch")


@pytest.mark.parametrize("offset", [301, 3600, 86400 * 30])
def test_a_stale_delivery_is_refused_as_a_possible_replay(offset: int) -> None:
    verdict = verify_bmc_signature(BODY, TIMESTAMP, SIGNATURE, SECRET, now=SENT_AT + timedelta(seconds=offset))
    assert not verdict
    assert verdict.reason.startswith("stale") and "replay" in verdict.reason


@pytest.mark.parametrize("offset", [301, 3600])
def test_a_delivery_from_the_future_is_refused(offset: int) -> None:
    verdict = verify_bmc_signature(BODY, TIMESTAMP, SIGNATURE, SECRET, now=SENT_AT - timedelta(seconds=offset))
    assert not verdict and "future" in verdict.reason


def test_the_window_is_configurable() -> None:
    now = SENT_AT + timedelta(seconds=90)
    assert not verify_bmc_signature(BODY, TIMESTAMP, SIGNATURE, SECRET, now=now, tolerance=60)
    assert verify_bmc_signature(BODY, TIMESTAMP, SIGNATURE, SECRET, now=now, tolerance=120)


@pytest.mark.parametrize(
    "signature",
    ["", "abc", SIGNATURE[:-1], SIGNATURE + "0", "z" * 64, "sha256=" + SIGNATURE, SIGNATURE[:32] + "é" * 32],
)
def test_a_malformed_signature_is_refused(signature: str) -> None:
    verdict = verify_bmc_signature(BODY, TIMESTAMP, signature, SECRET, now=SENT_AT)
    assert not verdict and verdict.reason.startswith("malformed signature")


@pytest.mark.parametrize("timestamp", ["", "yesterday", "1777111200", "2026-13-01T00:00:00Z"])
def test_a_malformed_timestamp_is_refused(timestamp: str) -> None:
    signature = reference_signature(BODY, timestamp, SECRET)
    verdict = verify_bmc_signature(BODY, timestamp, signature, SECRET, now=SENT_AT)
    assert not verdict and verdict.reason.startswith("malformed timestamp")


def test_timestamps_without_an_offset_are_utc() -> None:
    timestamp = "2026-04-25T10:00:00"
    signature = reference_signature(BODY, timestamp, SECRET)
    assert verify_bmc_signature(BODY, timestamp, signature, SECRET, now=SENT_AT + timedelta(seconds=200))
    assert not verify_bmc_signature(BODY, timestamp, signature, SECRET, now=SENT_AT + timedelta(seconds=400))


def test_the_timestamp_format_matches_the_platform() -> None:
    assert bmc_timestamp(datetime(2026, 4, 25, 10, 0, 0, 123456, tzinfo=UTC)) == "2026-04-25T10:00:00.123Z"


@pytest.mark.anyio
async def test_the_tool_checks_locally_and_never_echoes_the_secret() -> None:
    runtime = Runtime.create(fake_settings())
    fresh = bmc_timestamp(datetime.now(UTC))
    good = {
        "rawBody": BODY.decode(),
        "timestamp": fresh,
        "signature": reference_signature(BODY, fresh, SECRET),
        "secret": SECRET,
    }
    try:
        with respx.mock(assert_all_called=False) as router:
            route = router.route()
            valid = await runtime.call("bmc_verify_webhook_signature", good)
            wrong = await runtime.call("bmc_verify_webhook_signature", {**good, "secret": "whsec_other_secret"})
            stale = await runtime.call("bmc_verify_webhook_signature", {**good, "timestamp": TIMESTAMP})
            missing = await runtime.call("bmc_verify_webhook_signature", {"rawBody": "{}"})
    finally:
        await runtime.aclose()
    assert not route.called
    assert valid.structured_content == {"valid": True, "reason": "signature matches and the timestamp is fresh"}
    assert not valid.is_error and json.loads(valid.content[0].text)["valid"] is True
    assert wrong.structured_content["valid"] is False and not wrong.is_error
    assert stale.structured_content["valid"] is False
    for result in (valid, wrong, stale):
        dumped = result.model_dump_json()
        assert SECRET not in dumped and "whsec_other_secret" not in dumped
    assert missing.is_error and "nothing was sent" in missing.content[0].text
    assert {"secret: is required", "signature: is required"} <= {
        line.removeprefix("- ") for line in missing.content[0].text.splitlines()
    }
