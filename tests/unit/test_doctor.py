"""`rentalot-mcp doctor` against mocked answers: every verdict, its fix, its exit code, and no key shown."""

from __future__ import annotations

import httpx
import pytest
import respx

from rentalot_mcp.config import load_settings
from rentalot_mcp.doctor import run_doctor

pytestmark = pytest.mark.anyio

KEY = "ra_live_doctor_test_9f3k"
BASE = "https://rentalot.test"
PROBE = f"{BASE}/api/v1/properties"
WRITE_PROBE = f"{BASE}/api/v1/properties/00000000-0000-0000-0000-000000000000"
ERROR = {"error": {"code": "X", "message": "from the API"}}


async def _doctor(tmp_path, capsys, **environ: str) -> tuple[int, str]:
    environ = {"XDG_CONFIG_HOME": str(tmp_path / "config"), **environ}
    settings = load_settings(environ=environ, cwd=tmp_path)
    code = await run_doctor(settings, environ=environ, cwd=tmp_path)
    out = capsys.readouterr().out
    assert KEY not in out
    return code, out


def _answer(status: int, limit: str | None = None, **kwargs) -> httpx.Response:
    headers = {"X-RateLimit-Limit": limit} if limit else {}
    return httpx.Response(status, headers=headers, **({"json": {"data": []}} | kwargs))


@pytest.mark.parametrize(
    ("limit", "expected"),
    [("30", "plan: Starter, 30 requests/minute, read-only"), ("120", "plan: Pro, 120 requests/minute, read and write")],
)
async def test_a_working_key_reports_its_plan_from_the_rate_limit(tmp_path, capsys, limit, expected) -> None:
    with respx.mock:
        route = respx.get(PROBE).mock(return_value=_answer(200, limit))
        code, out = await _doctor(tmp_path, capsys, RENTALOT_API_KEY=KEY, RENTALOT_BASE_URL=BASE)
    assert code == 0 and out.rstrip().endswith("All good.")
    assert route.calls.last.request.headers["authorization"] == f"Bearer {KEY}"
    assert route.calls.last.request.url.params["limit"] == "1"
    assert "ra_…9f3k  (environment variable RENTALOT_API_KEY)" in out
    assert f"{BASE}  (environment variable RENTALOT_BASE_URL)" in out
    assert "key accepted" in out and expected in out
    assert ("--read-only" in out) is (limit == "30")


@pytest.mark.parametrize(
    ("status", "verdict"), [(403, "plan: read-only"), (404, "plan: read and write"), (422, "plan: read and write")]
)
async def test_without_a_known_rate_limit_a_harmless_write_probe_tells_the_plan(
    tmp_path, capsys, status, verdict
) -> None:
    with respx.mock:
        respx.get(PROBE).mock(return_value=_answer(200, "77"))
        probe = respx.patch(WRITE_PROBE).mock(return_value=httpx.Response(status, json=ERROR))
        code, out = await _doctor(tmp_path, capsys, RENTALOT_API_KEY=KEY, RENTALOT_BASE_URL=BASE)
    assert code == 0 and verdict in out and "77 requests/minute" in out
    assert probe.calls.last.request.content == b"{}"


async def test_a_refused_key_says_where_it_came_from(tmp_path, capsys) -> None:
    (tmp_path / ".env").write_text(f"RENTALOT_API_KEY={KEY}\nRENTALOT_BASE_URL={BASE}\n")
    with respx.mock:
        respx.get(PROBE).mock(return_value=httpx.Response(401, json=ERROR))
        code, out = await _doctor(tmp_path, capsys)
    assert code == 1
    assert f"{tmp_path / '.env'} (found)" in out
    assert "FAIL  the key was refused (HTTP 401)" in out
    assert f"the refused one came from RENTALOT_API_KEY in {tmp_path / '.env'}" in out
    assert "1 problem found" in out


async def test_a_missing_key_still_checks_the_platform_answers(tmp_path, capsys) -> None:
    with respx.mock:
        route = respx.get(PROBE).mock(return_value=httpx.Response(401, json=ERROR))
        code, out = await _doctor(tmp_path, capsys, RENTALOT_BASE_URL=BASE)
    assert code == 1 and route.called
    assert "API key   (not set)" in out and "FAIL  no Rentalot API key" in out
    assert "export RENTALOT_API_KEY=<key>" in out
    assert "ok    the API answers" in out


async def test_an_unreachable_platform_names_the_setting_to_check(tmp_path, capsys) -> None:
    with respx.mock:
        respx.get(PROBE).mock(side_effect=httpx.ConnectError("refused"))
        code, out = await _doctor(tmp_path, capsys, RENTALOT_API_KEY=KEY, RENTALOT_BASE_URL=BASE)
    assert code == 1
    assert "does not answer (ConnectError)" in out and "check RENTALOT_BASE_URL" in out


@pytest.mark.parametrize(
    "answer",
    [httpx.Response(404, json=ERROR), httpx.Response(200, text="<html>welcome</html>")],
)
async def test_a_wrong_base_url_gets_the_site_root_fix(tmp_path, capsys, answer) -> None:
    with respx.mock:
        respx.get(f"{BASE}/api/v1/api/v1/properties").mock(return_value=answer)
        code, out = await _doctor(tmp_path, capsys, RENTALOT_API_KEY=KEY, RENTALOT_BASE_URL=f"{BASE}/api/v1")
    assert code == 1
    assert "set RENTALOT_BASE_URL to the site root, e.g. https://rentalot.ai (without /api/...)" in out


@pytest.mark.parametrize(
    ("answer", "fix"),
    [
        (httpx.Response(429, headers={"Retry-After": "7"}, json=ERROR), "wait 7 s"),
        (httpx.Response(503, json=ERROR), "try again in a few minutes"),
    ],
)
async def test_rate_limits_and_outages_are_problems_with_their_own_fix(tmp_path, capsys, answer, fix) -> None:
    with respx.mock:
        respx.get(PROBE).mock(return_value=answer)
        code, out = await _doctor(tmp_path, capsys, RENTALOT_API_KEY=KEY, RENTALOT_BASE_URL=BASE)
    assert code == 1 and fix in out


async def test_a_config_file_others_can_read_is_a_problem(tmp_path, capsys) -> None:
    config = tmp_path / "config" / "rentalot" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text(f"api_key: {KEY}\nbase_url: {BASE}\n")
    config.chmod(0o644)
    with respx.mock:
        respx.get(PROBE).mock(return_value=_answer(200, "600"))
        code, out = await _doctor(tmp_path, capsys)
    assert code == 1
    assert f"chmod 600 {config}" in out
    assert f"ra_…9f3k  (api_key in {config})" in out and "plan: Scale" in out


async def test_the_auth_token_is_shown_masked(tmp_path, capsys) -> None:
    with respx.mock:
        respx.get(PROBE).mock(return_value=_answer(200, "120"))
        _, out = await _doctor(
            tmp_path, capsys, RENTALOT_API_KEY=KEY, RENTALOT_BASE_URL=BASE, RENTALOT_MCP_AUTH_TOKEN="tok_abcdefgh1234"
        )
    assert "RENTALOT_MCP_AUTH_TOKEN: tok_…1234" in out and "abcdefgh" not in out
