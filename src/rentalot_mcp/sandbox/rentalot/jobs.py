"""Background jobs (bulk property import, image import by URL) that advance when polled.

Each poll of a job does one batch of work: the first poll moves it to `processing` having handled the
first half of its items, the second handles the rest and completes it. Polling is therefore both the
way to watch a job and what drives it, which keeps the sandbox deterministic and free of workers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from rentalot_mcp.sandbox.context import Ctx, new_id, public
from rentalot_mcp.sandbox.errors import not_found
from rentalot_mcp.sandbox.rentalot.kinds import JOB
from rentalot_mcp.sandbox.store import Record

BATCHES = 2

Step = Callable[[int, Any], dict[str, Any] | None]
"""Process item `index`; return its entry for the job's `errors`, or None on success."""


def new_job(ctx: Ctx, job_type: str, items: list[Any], **extra: Any) -> Record:
    job = {
        "id": new_id(),
        "_type": job_type,
        "_items": items,
        "_done": 0,
        "status": "pending",
        "failed": 0,
        "errors": [],
        "createdAt": ctx.stamp,
        "completedAt": None,
        **extra,
    }
    return ctx.tx.insert(JOB, ctx.owner, job)


def load_job(ctx: Ctx, job_type: str) -> Record:
    job = ctx.load(JOB, ctx.path["jobId"], "Job")
    if job["_type"] != job_type:
        raise not_found("Job")
    return job


def advance(ctx: Ctx, job: Record, step: Step, on_complete: Callable[[], None]) -> Record:
    """Run the next batch of a pending or processing job and save it."""
    if job["status"] == "completed":
        return job
    items = job["_items"]
    batch = math.ceil(len(items) / BATCHES)
    end = min(len(items), job["_done"] + batch)
    for index in range(job["_done"], end):
        error = step(index, items[index])
        if error is not None:
            job["failed"] += 1
            job["errors"].append(error)
    job["_done"] = end
    job["status"] = "processing"
    if end >= len(items):
        job.update(status="completed", completedAt=ctx.stamp, _items=[])
        on_complete()
    ctx.tx.save(JOB, ctx.owner, job)
    return job


def job_view(job: Record) -> Record:
    """The job as the API shows it: its id as `jobId`, no internal fields."""
    return {"jobId": job["id"], **{k: v for k, v in public(job).items() if k != "id"}}
