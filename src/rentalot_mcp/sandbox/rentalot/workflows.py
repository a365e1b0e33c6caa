"""Workflow templates and their runs.

A run advances one step each time it is fetched (GET /workflows/runs/{runId}), which is how clients
watch it: the first fetch moves it from `pending` to `running`, each later fetch executes the current
step (a step with text sends that text to the contact), and executing the last step completes it.
The progression is deterministic and needs no background worker. Changing the fields that affect
execution bumps `currentVersion`. A template with active runs cannot be deleted (409).
"""

from __future__ import annotations

import re
from typing import Any

from rentalot_mcp.sandbox.context import Ctx, HandlerTable, Reply, new_id, no_content, ok, paginate, public
from rentalot_mcp.sandbox.errors import ApiError, conflict
from rentalot_mcp.sandbox.rentalot.conversations import send_to_contact
from rentalot_mcp.sandbox.rentalot.followups import first_name
from rentalot_mcp.sandbox.rentalot.kinds import CONTACT, PROPERTY, RUN, WORKFLOW
from rentalot_mcp.sandbox.rentalot.subscriptions import emit
from rentalot_mcp.sandbox.store import Record

ops = HandlerTable()

SUMMARY = ("id", "name", "slug", "description", "isActive", "isPublic", "triggerType", "createdAt")
VERSIONED = ("steps", "exitConditions", "questionConfig", "completionConfig", "introMessage")
ACTIVE = ("pending", "running", "paused")
EDITABLE = (
    "name",
    "description",
    "steps",
    "triggerType",
    "triggerConfig",
    "exitConditions",
    "questionConfig",
    "completionConfig",
    "isPublic",
    "introMessage",
    "voiceConfig",
    "isActive",
)
TEXT_KEYS = ("message", "content", "text", "question", "prompt")


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "workflow"


def unique_slug(ctx: Ctx, name: str, exclude: str | None = None) -> str:
    taken = {w["slug"] for w in ctx.tx.list(WORKFLOW, ctx.owner) if w["id"] != exclude}
    base = slug = slugify(name)
    counter = 2
    while slug in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def new_template(stamp: str, values: dict[str, Any], slug: str) -> Record:
    exits = {"maxMessages": 5, "timeoutDays": 30, **(values.get("exitConditions") or {})}
    return {
        "id": new_id(),
        "name": values["name"],
        "slug": slug,
        "description": values.get("description"),
        "steps": values["steps"],
        "triggerType": values["triggerType"],
        "triggerConfig": values.get("triggerConfig") or {},
        "exitConditions": exits,
        "questionConfig": values.get("questionConfig"),
        "completionConfig": values.get("completionConfig"),
        "isActive": values.get("isActive", True),
        "isPublic": values.get("isPublic", False),
        "introMessage": values.get("introMessage"),
        "voiceConfig": values.get("voiceConfig"),
        "currentVersion": 1,
        "createdAt": stamp,
        "updatedAt": stamp,
    }


def _summary(template: Record) -> Record:
    return {name: template.get(name) for name in SUMMARY}


@ops("listWorkflows")
def list_workflows(ctx: Ctx) -> Reply:
    filters = {name: ctx.query[name] for name in ("isActive", "triggerType") if name in ctx.query}
    return paginate(ctx, [_summary(w) for w in ctx.tx.list(WORKFLOW, ctx.owner, **filters)])


@ops("createWorkflow")
def create_workflow(ctx: Ctx) -> Reply:
    template = ctx.tx.insert(WORKFLOW, ctx.owner, new_template(ctx.stamp, ctx.body, unique_slug(ctx, ctx.arg("name"))))
    emit(ctx, "workflow.created", template)
    return ok(template, 201)


@ops("getWorkflow")
def get_workflow(ctx: Ctx) -> Reply:
    return ok(ctx.load(WORKFLOW, ctx.path["workflowId"], "Workflow"))


@ops("updateWorkflow")
def update_workflow(ctx: Ctx) -> Reply:
    template = ctx.load(WORKFLOW, ctx.path["workflowId"], "Workflow")
    changes = {k: v for k, v in ctx.body.items() if k in EDITABLE}
    if "exitConditions" in changes:
        changes["exitConditions"] = {**template["exitConditions"], **changes["exitConditions"]}
    if "name" in changes and changes["name"] != template["name"]:
        changes["slug"] = unique_slug(ctx, changes["name"], exclude=template["id"])
    if any(name in changes and changes[name] != template.get(name) for name in VERSIONED):
        changes["currentVersion"] = template["currentVersion"] + 1
    template.update(changes, updatedAt=ctx.stamp)
    ctx.tx.save(WORKFLOW, ctx.owner, template)
    emit(ctx, "workflow.updated", template)
    return ok(template)


@ops("deleteWorkflow")
def delete_workflow(ctx: Ctx) -> Reply:
    template = ctx.load_for_delete(WORKFLOW, ctx.path["workflowId"], "Workflow")
    if template is None:
        return no_content()
    runs = ctx.tx.list(RUN, ctx.owner, templateId=template["id"])
    active = [r for r in runs if r["status"] in ACTIVE]
    if active:
        raise conflict(f"The workflow has {len(active)} active run(s); let them finish before deleting it.")
    for run in runs:
        ctx.tx.delete(RUN, ctx.owner, run["id"], ctx.stamp)
    ctx.tx.delete(WORKFLOW, ctx.owner, template["id"], ctx.stamp)
    emit(ctx, "workflow.deleted", {"id": template["id"], "name": template["name"]})
    return no_content()


@ops("listWorkflowRuns")
def list_runs(ctx: Ctx) -> Reply:
    filters = {name: ctx.query[name] for name in ("templateId", "contactId", "status") if name in ctx.query}
    rows = ctx.tx.list(RUN, ctx.owner, **filters)
    rows.sort(key=lambda r: r["startedAt"], reverse=True)
    return paginate(ctx, [public(r) for r in rows])


@ops("triggerWorkflow")
def trigger_workflow(ctx: Ctx) -> Reply:
    template = ctx.ref(WORKFLOW, ctx.arg("workflowId"), "Workflow", "workflowId")
    contact = ctx.ref(CONTACT, ctx.arg("contactId"), "Contact", "contactId")
    if ctx.arg("propertyId"):
        ctx.ref(PROPERTY, ctx.arg("propertyId"), "Property", "propertyId")
    if not template["isActive"]:
        raise conflict(f"The workflow '{template['name']}' is inactive; activate it before triggering runs.")
    run = {
        "id": new_id(),
        "templateId": template["id"],
        "contactId": contact["id"],
        "propertyId": ctx.arg("propertyId"),
        "status": "pending",
        "currentStepIndex": 0,
        "messagesSent": 0,
        "exitReason": None,
        "startedAt": ctx.stamp,
        "completedAt": None,
        "_version": template["currentVersion"],
    }
    ctx.tx.insert(RUN, ctx.owner, run)
    return ok(public(run), 201)


@ops("getWorkflowRun")
def get_run(ctx: Ctx) -> Reply:
    run = ctx.load(RUN, ctx.path["runId"], "Workflow run")
    if run["status"] in ("pending", "running"):
        _advance(ctx, run)
        ctx.tx.save(RUN, ctx.owner, run)
    return ok(public(run))


def _advance(ctx: Ctx, run: Record) -> None:
    """One tick: start the run, or execute its current step (finishing after the last one)."""
    if run["status"] == "pending":
        run["status"] = "running"
        return
    template = ctx.tx.get(WORKFLOW, ctx.owner, run["templateId"])
    contact = ctx.tx.get(CONTACT, ctx.owner, run["contactId"])
    if template is None or contact is None:
        _finish(ctx, run, "failed", "the workflow or the contact was deleted")
        return
    steps = template["steps"]
    index = run["currentStepIndex"]
    if index < len(steps):
        text = _step_text(steps[index], ctx, contact, run)
        if text and run["messagesSent"] >= template["exitConditions"]["maxMessages"]:
            _finish(ctx, run, "completed", "max_messages_reached")
            return
        if text:
            try:
                send_to_contact(ctx, contact, text, None)
            except ApiError as error:
                _finish(ctx, run, "failed", error.details[0].message if error.details else error.message)
                return
            run["messagesSent"] += 1
    if index + 1 < len(steps):
        run["currentStepIndex"] = index + 1
    else:
        _finish(ctx, run, "completed", "all_steps_completed")


def _step_text(step: Any, ctx: Ctx, contact: Record, run: Record) -> str | None:
    if not isinstance(step, dict):
        return None
    text = next((step[key] for key in TEXT_KEYS if isinstance(step.get(key), str) and step[key].strip()), None)
    if text is None:
        return None
    address = ""
    if run["propertyId"]:
        prop = ctx.tx.get(PROPERTY, ctx.owner, run["propertyId"])
        address = prop["address"] if prop else ""
    return text.replace("{firstName}", first_name(contact)).replace("{propertyAddress}", address)


def _finish(ctx: Ctx, run: Record, status: str, reason: str) -> None:
    run.update(status=status, exitReason=reason, completedAt=ctx.stamp)
    if status == "completed":
        emit(ctx, "workflow.completed", public(run))
