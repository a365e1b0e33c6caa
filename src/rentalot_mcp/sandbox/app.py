"""The Starlette app: routes generated from each platform's spec, and the request pipeline around handlers.

Every operation in a spec becomes a route bound to the handler registered under its operationId; a
spec operation without a handler is a startup error, so the sandbox cannot silently lag its spec.
The pipeline is the same for every operation and every platform:

    auth (401) -> rate limit (429, headers on every authenticated response) -> plan (403 on writes)
    -> path ids (404) -> query and body validation (422) -> [transaction: idempotent replay | handler
    + stored response] -> webhooks after commit

Database work happens on worker threads, never on the event loop.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio.to_thread
import httpx
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from rentalot_mcp.openapi.spec import load_spec, read_document
from rentalot_mcp.sandbox import idempotency, uploads
from rentalot_mcp.sandbox.accounts import Account, RateLimiter, find_account, hash_key
from rentalot_mcp.sandbox.bmc import BOOKMYCOLIVING
from rentalot_mcp.sandbox.context import Ctx, Handler, Ping, Reply
from rentalot_mcp.sandbox.errors import ApiError, FieldError, not_found, validation_failed
from rentalot_mcp.sandbox.faults import FaultInjector, FaultPlan
from rentalot_mcp.sandbox.platform import Platform
from rentalot_mcp.sandbox.rentalot import RENTALOT
from rentalot_mcp.sandbox.store import Store
from rentalot_mcp.sandbox.times import Clock, system_clock
from rentalot_mcp.sandbox.validation import RequestValidator, compile_operation, is_uuid
from rentalot_mcp.sandbox.webhooks import Delivery, WebhookSender

RPM_VARIABLE = "RENTALOT_SANDBOX_RPM"
METHODS = ("get", "post", "put", "patch", "delete")
JsonObject = dict[str, Any]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    method: str
    path: str
    resource: str
    handler: Handler
    validator: RequestValidator
    id_params: tuple[str, ...]


@dataclass(slots=True)
class Outcome:
    """What the worker thread hands back to the event loop."""

    status: int
    body: bytes | None
    headers: dict[str, str]
    deliveries: list[Delivery] = field(default_factory=list)
    ping: Ping | None = None
    remember: tuple[str, str, str] | None = None
    """(account id, idempotency key, fingerprint) when the response is to be stored after the ping."""


class Service:
    """Shared state of one app: the store, the clock, rate limits, webhook delivery."""

    def __init__(self, store: Store, clock: Clock, limiter: RateLimiter, sender: WebhookSender) -> None:
        self.store = store
        self.clock = clock
        self.limiter = limiter
        self.sender = sender
        self._accounts: dict[tuple[str, str], Account] = {}

    def seed(self, platform: Platform) -> None:
        with self.store.transaction() as tx:
            if tx.meta(f"seeded:{platform.name}") is None:
                platform.seed(tx, self.clock())
                tx.set_meta(f"seeded:{platform.name}", "1")

    def account(self, platform: Platform, api_key: str) -> Account | None:
        cache_key = (platform.name, hash_key(api_key))
        if cache_key not in self._accounts:
            with self.store.transaction() as tx:
                found = find_account(tx, platform.name, platform.plans, api_key)
            if found is None:
                return None
            self._accounts[cache_key] = found
        return self._accounts[cache_key]


def create_app(
    db: str | Path,
    *,
    reset: bool = False,
    rpm: int | None = None,
    clock: Clock | None = None,
    platforms: Sequence[Platform] | None = None,
    webhook_transport: httpx.AsyncBaseTransport | None = None,
    extra_routes: Sequence[BaseRoute] = (),
    faults: FaultPlan | None = None,
) -> Starlette:
    """The sandbox app over a database file or `:memory:`.

    `rpm` overrides every plan's per-minute budget (default: the RENTALOT_SANDBOX_RPM environment
    variable, else each plan's own). `platforms` defaults to Rentalot and BookMyColiving (under `/bmc`),
    served side by side under their own mounts, sharing the database. `extra_routes` are added as they are. `faults`
    wraps the app in the fault injector.
    """
    clock = clock or system_clock
    store = Store(db)
    if reset:
        store.reset()
    limiter = RateLimiter(clock, rpm if rpm is not None else _rpm_from_env())
    service = Service(store, clock, limiter, WebhookSender(store, clock, webhook_transport))
    served = list(platforms) if platforms is not None else [RENTALOT, BOOKMYCOLIVING]
    routes: list[BaseRoute] = [Route("/healthz", _healthz, methods=["GET"])]
    for platform in served:
        service.seed(platform)
        routes.extend(_platform_routes(platform, service))
    routes.extend(uploads.routes(store, clock))
    routes.extend(extra_routes)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await service.sender.aclose()
        store.close()

    app = Starlette(
        routes=routes,
        middleware=[Middleware(FaultInjector, plan=faults)] if faults else [],
        lifespan=lifespan,
        exception_handlers={HTTPException: _http_error_for(served), Exception: _unexpected},
    )
    app.state.service = service
    return app


def _rpm_from_env() -> int | None:
    value = os.environ.get(RPM_VARIABLE, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{RPM_VARIABLE} must be a positive integer, got {value!r}")
    return int(value)


async def _healthz(_request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def _http_error_for(platforms: Sequence[Platform]) -> Callable[[Request, HTTPException], Awaitable[Response]]:
    """Unknown routes and methods answer in the error shape of the platform whose mount they fall under."""
    by_longest_mount = sorted(platforms, key=lambda platform: len(platform.mount), reverse=True)

    async def http_error(request: Request, exc: HTTPException) -> Response:
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(exc.status_code, "HTTP_ERROR")
        message = {404: "Route not found", 405: "Method not allowed on this route"}.get(
            exc.status_code, str(exc.detail)
        )
        error = ApiError(exc.status_code, code, message)
        platform = next((p for p in by_longest_mount if request.url.path.startswith(p.mount + "/")), None)
        body = platform.error_body(error) if platform else ApiError.body(error)
        return JSONResponse(body, exc.status_code, headers=exc.headers)

    return http_error


async def _unexpected(_request: Request, exc: Exception) -> Response:
    logger.error("unhandled sandbox error", exc_info=exc)
    return JSONResponse({"error": {"code": "INTERNAL_ERROR", "message": "Internal sandbox error"}}, 500)


def _platform_routes(platform: Platform, service: Service) -> list[BaseRoute]:
    document, by_path = _compiled(platform)
    routes: list[BaseRoute] = [
        Route(
            f"{platform.mount}{platform.api_prefix}/openapi.json", _spec_endpoint(platform, document), methods=["GET"]
        )
    ]
    for path in sorted(by_path, key=_literal_first):
        methods = by_path[path]
        routes.append(Route(platform.mount + path, _endpoint(platform, service, methods), methods=list(methods)))
    return routes


_COMPILED: dict[tuple[str, str, int], tuple[JsonObject, dict[str, dict[str, Operation]]]] = {}


def _compiled(platform: Platform) -> tuple[JsonObject, dict[str, dict[str, Operation]]]:
    """The raw document and the operations by path, built once per spec file version per process."""
    key = (platform.name, str(platform.spec_path), platform.spec_path.stat().st_mtime_ns)
    if key not in _COMPILED:
        spec = load_spec(platform.spec_path)
        by_path: dict[str, dict[str, Operation]] = {}
        missing: list[str] = []
        for path, item in {**spec["paths"], **platform.extra_paths}.items():
            for method in METHODS:
                operation = item.get(method)
                if operation is None:
                    continue
                handler = platform.handlers.get(operation["operationId"])
                if handler is None:
                    missing.append(operation["operationId"])
                    continue
                by_path.setdefault(path, {})[method.upper()] = _operation(platform, path, method, operation, handler)
        if missing:
            raise RuntimeError(f"{platform.name} sandbox has no handler for: {', '.join(sorted(missing))}")
        _COMPILED[key] = (read_document(platform.spec_path), by_path)
    return _COMPILED[key]


def _literal_first(path: str) -> list[int]:
    """Sort key putting `/workflows/runs` before `/workflows/{workflowId}` (routes match in order)."""
    return [1 if segment.startswith("{") else 0 for segment in path.split("/")]


def _operation(platform: Platform, path: str, method: str, operation: JsonObject, handler: Handler) -> Operation:
    rest = path.removeprefix(platform.api_prefix).strip("/")
    id_params = tuple(
        p["name"]
        for p in operation.get("parameters", [])
        if p.get("in") == "path" and p.get("schema", {}).get("format") == "uuid"
    )
    return Operation(
        operation_id=operation["operationId"],
        method=method.upper(),
        path=path,
        resource=rest.split("/")[0],
        handler=handler,
        validator=compile_operation(operation),
        id_params=id_params,
    )


def _spec_endpoint(platform: Platform, document: JsonObject) -> Callable[[Request], Any]:
    async def serve_spec(request: Request) -> Response:
        base = str(request.base_url).rstrip("/") + platform.mount
        return JSONResponse({**document, "servers": [{"url": base, "description": f"{platform.name} sandbox"}]})

    return serve_spec


def _endpoint(platform: Platform, service: Service, operations: dict[str, Operation]) -> Callable[[Request], Any]:
    async def endpoint(request: Request) -> Response:
        operation = operations["GET" if request.method == "HEAD" else request.method]
        call = _Call(
            headers=request.headers,
            path=dict(request.path_params),
            query={key: value for key, value in request.query_params.items()},
            raw_body=await request.body(),
            url_path=request.url.path,
            base_url=str(request.base_url).rstrip("/"),
        )
        outcome = await anyio.to_thread.run_sync(_pipeline, platform, service, operation, call)
        if outcome.ping is not None:
            result = await service.sender.send(outcome.ping.delivery)
            outcome.body = _json(outcome.ping.render(result))
            if outcome.remember is not None:
                await anyio.to_thread.run_sync(_remember_after, service, outcome)
        if outcome.deliveries:
            service.sender.dispatch(outcome.deliveries)
        media_type = "application/json" if outcome.body is not None else None
        return Response(outcome.body, outcome.status, outcome.headers, media_type=media_type)

    return endpoint


@dataclass(frozen=True, slots=True)
class _Call:
    headers: Headers
    path: dict[str, str]
    query: dict[str, str]
    raw_body: bytes
    url_path: str
    base_url: str


def _pipeline(platform: Platform, service: Service, operation: Operation, call: _Call) -> Outcome:
    headers: dict[str, str] = {}
    try:
        api_key = platform.api_key(call.headers)
        account = service.account(platform, api_key) if api_key else None
        if account is None:
            message = platform.missing_key_message if not api_key else "Invalid API key"
            raise ApiError(401, "UNAUTHORIZED", message)
        limits = platform.budgets.get(operation.operation_id, account.plan)
        bucket = account.key_hash if limits is account.plan else f"{account.key_hash}/{limits.name}"
        budget = service.limiter.take(bucket, limits)
        headers.update(budget.headers(operation.resource))
        if budget.retry_after is not None:
            window = "minute" if limits.rate_window == 60 else f"{limits.rate_window} seconds"
            raise ApiError(
                429,
                "RATE_LIMITED",
                f"Rate limit exceeded: {budget.limit} requests per {window} on the {account.plan.name} plan; "
                f"retry in {budget.retry_after} s.",
            )
        if operation.method != "GET" and not account.plan.can_write:
            raise ApiError(
                403,
                "FORBIDDEN",
                f"Your plan ({account.plan.name}) has read-only API access; "
                f"upgrade to {platform.upgrade_plan} to write.",
            )
        for name in operation.id_params:
            if not is_uuid(call.path[name]):
                raise not_found(platform.id_names.get(name, "Resource"))
        query, body = _validated(operation, call)
        return _transact(platform, service, operation, call, account, query, body, headers)
    except ApiError as error:
        status = platform.validation_status if error.code == "VALIDATION_ERROR" else error.status
        return Outcome(status, _json(platform.error_body(error)), {**headers, **error.headers})


def _validated(operation: Operation, call: _Call) -> tuple[JsonObject, Any]:
    query, problems = operation.validator.check_query(call.query)
    body: Any = None
    if call.raw_body.strip() and operation.validator.body is not None:
        try:
            body = json.loads(call.raw_body)
        except ValueError:
            problems.append(FieldError("body", "must be valid JSON"))
            raise validation_failed(problems) from None
    if body is None and operation.validator.body_required:
        problems.append(FieldError("body", "is required"))
    elif body is not None:
        problems.extend(operation.validator.check_body(body))
        if operation.method == "PATCH" and body == {} and not problems:
            problems.append(FieldError("body", "must contain at least one field to change"))
    if problems:
        raise validation_failed(problems)
    return query, body


def _transact(
    platform: Platform,
    service: Service,
    operation: Operation,
    call: _Call,
    account: Account,
    query: JsonObject,
    body: Any,
    headers: dict[str, str],
) -> Outcome:
    key = call.headers.get("idempotency-key") if operation.method == "POST" else None
    if key is not None and not 0 < len(key) <= idempotency.MAX_KEY_LENGTH:
        raise validation_failed(
            [FieldError("Idempotency-Key", f"must be 1 to {idempotency.MAX_KEY_LENGTH} characters")]
        )
    now = service.clock()
    fingerprint = idempotency.fingerprint(operation.method, call.url_path, body) if key else ""
    with service.store.transaction() as tx:
        if key:
            stored = idempotency.replay(tx, account.id, key, fingerprint, now.timestamp())
            if stored is not None:
                return Outcome(stored.status, stored.body or None, {**headers, platform.replayed_header: "true"})
        ctx = Ctx(
            tx=tx,
            account=account,
            clock=service.clock,
            now=now,
            base_url=call.base_url,
            path=call.path,
            query=query,
            body=body,
        )
        reply: Reply = operation.handler(ctx)
        payload = _json(reply.body) if reply.body is not None else None
        remember = None
        if key and 200 <= reply.status < 300:
            if ctx.ping is None:
                idempotency.remember(tx, account.id, key, fingerprint, reply.status, payload or b"", now.timestamp())
            else:
                remember = (account.id, key, fingerprint)
    return Outcome(reply.status, payload, headers, ctx.deliveries, ctx.ping, remember)


def _remember_after(service: Service, outcome: Outcome) -> None:
    assert outcome.remember is not None
    account_id, key, fingerprint = outcome.remember
    with service.store.transaction() as tx:
        idempotency.remember(
            tx, account_id, key, fingerprint, outcome.status, outcome.body or b"", service.clock().timestamp()
        )


def _json(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
