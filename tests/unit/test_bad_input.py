"""Bad input never hurts: every tool refuses arguments that break its schema, and sends nothing.

Hypothesis builds, for each tool, argument sets that violate the schema in one way — a wrong
type, a missing required field, a number out of range, an unknown enum value, a string over its
limit, an unknown argument — on top of otherwise valid arguments with arbitrary unicode.
"""

from __future__ import annotations

import anyio
import httpx
import pytest
import respx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rentalot_mcp.runtime import Runtime
from tests.conftest import FAKE_BASE_URLS, fake_settings
from tests.support.samples import sample_arguments

RUNTIME = Runtime.create(fake_settings())
TOOLS = sorted(RUNTIME.catalogue, key=lambda tool: tool.name)
WRONG_VALUES = {
    "string": st.one_of(st.integers(), st.booleans(), st.lists(st.text(max_size=3), max_size=2)),
    "integer": st.one_of(
        st.text(max_size=5),
        st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: f != int(f)),
        st.booleans(),
    ),
    "number": st.one_of(st.text(max_size=5), st.booleans(), st.none()),
    "boolean": st.one_of(st.text(max_size=5), st.integers()),
    "array": st.one_of(st.text(max_size=5), st.integers(), st.dictionaries(st.text(max_size=3), st.integers())),
    "object": st.one_of(st.text(max_size=5), st.integers(), st.lists(st.integers(), max_size=2)),
}


def _kind(schema: dict) -> str:
    kind = schema.get("type", "string")
    return kind if isinstance(kind, str) else next(k for k in kind if k != "null")


@st.composite
def violations(draw: st.DrawFn, tool) -> tuple[dict, str]:
    """Valid arguments with exactly one kind of violation; returns (arguments, offending field)."""
    schema = tool.operation.input_schema
    arguments = sample_arguments(schema, everything=draw(st.booleans()))
    properties = schema["properties"]
    choices = ["unknown"]
    if schema.get("required"):
        choices.append("missing")
    if properties:
        choices.append("wrong_type")
    limited = [n for n, s in properties.items() if "maxLength" in s or "maximum" in s or "enum" in s]
    if limited:
        choices.append("out_of_range")
    how = draw(st.sampled_from(choices))
    if how == "unknown":
        name = draw(st.text(min_size=1, max_size=20).filter(lambda n: n not in properties))
        arguments[name] = draw(st.text(max_size=50))
        return arguments, name
    if how == "missing":
        name = draw(st.sampled_from(schema["required"]))
        arguments.pop(name, None)
        return arguments, name
    if how == "wrong_type":
        name = draw(st.sampled_from(sorted(properties)))
        sub = properties[name]
        wrong = WRONG_VALUES[_kind(sub)]
        if isinstance(sub.get("type"), list) and "null" in sub["type"]:
            wrong = wrong.filter(lambda v: v is not None)
        arguments[name] = draw(wrong)
        return arguments, name
    name = draw(st.sampled_from(limited))
    sub = properties[name]
    if "enum" in sub:
        arguments[name] = draw(st.text(max_size=30).filter(lambda v: v not in sub["enum"]))
    elif "maxLength" in sub:
        arguments[name] = "é" * (sub["maxLength"] + draw(st.integers(1, 5000)))
    else:
        arguments[name] = sub["maximum"] + draw(st.integers(1, 10**9))
    return arguments, name


@pytest.mark.parametrize("tool", TOOLS, ids=lambda tool: tool.name)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_schema_violation_is_refused_before_any_request(tool, data) -> None:
    arguments, field = data.draw(violations(tool))

    async def call():
        with respx.mock(assert_all_called=False) as router:
            route = router.route().respond(200, json={"data": {}})
            result = await RUNTIME.call(tool.name, arguments)
            return result, route.called

    result, sent = anyio.run(call)
    assert result.is_error, arguments
    assert not sent
    text = result.content[0].text
    assert "nothing was sent" in text and "Traceback" not in text
    assert field[:20] in text or "(arguments)" in text


@pytest.mark.parametrize("sneaky", ["..", ".", "../settings", "..%2Fsettings", "a/b?c=d#e", " ", "%00", "\u202e"])
def test_path_values_cannot_leave_their_endpoint(sneaky: str) -> None:
    """Where a path parameter is a free string, whatever it holds stays one encoded path segment."""
    free = [
        tool
        for tool in TOOLS
        for a in tool.operation.arguments
        if a.location == "path" and "format" not in tool.operation.input_schema["properties"][a.name]
    ]
    base = FAKE_BASE_URLS["rentalot"]
    for tool in free or TOOLS[:1]:
        op = tool.operation
        arguments = sample_arguments(op.input_schema)
        for argument in op.arguments:
            if argument.location == "path" and "format" not in op.input_schema["properties"][argument.name]:
                arguments[argument.name] = sneaky
        request = op.build_request(arguments)
        url = httpx.URL(base + request.path)
        raw_path = url.raw_path.decode()
        assert raw_path.startswith(op.path.split("{")[0])
        assert raw_path.count("/") == op.path.count("/")
        assert "/../" not in raw_path + "/" and "/./" not in raw_path + "/"
        assert not url.query and not url.fragment
