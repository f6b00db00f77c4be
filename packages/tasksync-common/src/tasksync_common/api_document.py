"""The rules every service's OpenAPI description follows, applied once to what APIFlask builds.

Routes declare what is theirs (operationId, summary, the statuses their own logic answers, the
headers of their success answers); this module adds what every operation shares: problem
documents as shared responses, the body statuses of every write, the gateway's 503/504, the
401 of every authenticated route, whole docstrings as descriptions, named enums, no content on
204/304, required bodies, explicit ``security: []`` on public routes, no unused schemas.
"""

from __future__ import annotations

import copy
import inspect
import re
from collections.abc import Iterator

from apiflask import APIFlask
from flask import Flask

from .problems import PROBLEM_JSON, PROBLEM_SCHEMA

# A field whose metadata carries this key is described once, as the component schema it names.
NAMED_SCHEMA = "x-tasksync-schema"

HEADERS = {
    "ETag": {
        "description": (
            'A strong entity tag. On a task, its version (`"3"`): send it back in `If-Match` to change or '
            "delete the task only if nobody changed it since. On the task list, the room's state: send it back "
            "in `If-None-Match` to get `304` while nothing has changed."
        ),
        "required": True,
        "schema": {"type": "string", "example": '"3"'},
    },
    "Location": {
        "description": "The path of the resource just created.",
        "required": True,
        "schema": {"type": "string"},
    },
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "required": True,
        "schema": {"type": "integer", "minimum": 0},
    },
    "WWW-Authenticate": {
        "description": 'The scheme to authenticate with: `Bearer realm="tasksync"`.',
        "required": True,
        "schema": {"type": "string"},
    },
}

# status: (component name, description, headers it always carries)
RESPONSES = {
    400: ("BadRequest", "The body is not valid JSON, or not a JSON object.", ()),
    401: ("Unauthorized", "No valid bearer token, or wrong credentials.", ("WWW-Authenticate",)),
    403: (
        "Forbidden",
        "Not allowed: an owner-only action by a member, another's comment, or a wrong current password.",
        (),
    ),
    404: ("NotFound", "No such resource, or not visible to the caller.", ()),
    409: (
        "Conflict",
        "The request conflicts with the current state (a taken username or label name; the owner leaving).",
        (),
    ),
    412: ("PreconditionFailed", "`If-Match` does not match the current version: nothing was changed.", ()),
    413: ("ContentTooLarge", "The request body is larger than 1 MiB.", ()),
    414: ("UriTooLong", "The request's URL is too long: its request line is over 4 KiB.", ()),
    415: ("UnsupportedMediaType", "The request has a body that is not `application/json`.", ()),
    422: ("ValidationFailed", "Invalid fields or parameters; `errors` names each one.", ()),
    429: ("TooManyRequests", "Throttled: too many attempts. Wait for `Retry-After` seconds.", ("Retry-After",)),
    503: ("ServiceUnavailable", "A service this request needs is unavailable; try again shortly.", ("Retry-After",)),
    504: ("GatewayTimeout", "A service this request needs did not answer in time.", ("Retry-After",)),
}

PATH_PARAMETERS = {
    "room_id": "The room's id.",
    "task_id": "The task's id.",
    "user_id": "The member's user id.",
    "label_id": "The label's id.",
    "item_id": "The checklist item's id.",
    "comment_id": "The comment's id.",
    "secret": "The link's secret: its address is all it needs (no token).",
}
WRITE_METHODS = ("post", "put", "patch")
WRITE_STATUSES = (400, 413, 415)  # any write's body: not JSON, too large, not application/json
EVERY_STATUS = (503, 504)  # any request: a service behind the gateway is down or slow
NOT_MODIFIED = "Not modified since the `ETag` sent in `If-None-Match`; no body."


def header_ref(name: str) -> dict:
    return {"$ref": f"#/components/headers/{name}"}


def response_ref(status: int) -> dict:
    return {"$ref": f"#/components/responses/{RESPONSES[status][0]}"}


def components() -> dict:
    """The shared headers and problem responses, and the problem schema itself."""
    responses = {
        name: {
            "description": description,
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
            **({"headers": {header: header_ref(header) for header in headers}} if headers else {}),
        }
        for name, description, headers in RESPONSES.values()
    }
    schemas = {"Problem": copy.deepcopy(PROBLEM_SCHEMA)}
    return {"schemas": schemas, "responses": responses, "headers": copy.deepcopy(HEADERS)}


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^<:>]+:)?([^<>]+)>", r"{\1}", rule)


def _markdown(docstring: str) -> str:
    """A docstring as a Markdown description: its paragraphs kept, ``literals`` in single backticks."""
    paragraphs = docstring.replace("``", "`").split("\n\n")
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in paragraphs if paragraph.strip())


def _docstrings(app: Flask) -> dict[tuple[str, str], str]:
    """(path, method) -> the view's whole docstring: APIFlask keeps only the lines after the first."""
    found = {}
    for rule in app.url_map.iter_rules():
        text = inspect.getdoc(app.view_functions.get(rule.endpoint))
        for method in rule.methods or ():
            if text:
                found[(_openapi_path(rule.rule), method.lower())] = _markdown(text)
    return found


def _operations(spec: dict) -> Iterator[tuple[str, str, dict]]:
    for path, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                yield path, method, operation


def _describe_responses(method: str, operation: dict) -> None:
    responses = operation["responses"]
    statuses = {int(status) for status in responses}
    if operation.get("security"):
        statuses.add(401)
    if method in WRITE_METHODS:
        statuses.update(WRITE_STATUSES)
    statuses.update(EVERY_STATUS)
    for status in sorted(statuses):
        key = str(status)
        if status in RESPONSES:
            responses[key] = response_ref(status)
        elif status >= 400:  # a status of one route only: still a problem document
            responses[key]["content"] = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        elif status in (204, 304):
            responses[key].pop("content", None)
        if "headers" in responses[key]:  # one description per header, shared by every answer
            headers = responses[key]["headers"]
            responses[key]["headers"] = {
                name: header_ref(name) if name in HEADERS else headers[name] for name in headers
            }
        if status == 304:
            responses[key]["description"] = NOT_MODIFIED
            responses[key]["headers"] = {"ETag": header_ref("ETag")}
    operation["responses"] = {str(status): responses[str(status)] for status in sorted(statuses)}


def _name_schemas(node: object, named: dict) -> object:
    """Replace every schema marked with NAMED_SCHEMA by a $ref to one component of that name."""
    if isinstance(node, list):
        return [_name_schemas(item, named) for item in node]
    if not isinstance(node, dict):
        return node
    if NAMED_SCHEMA in node:
        schema = {key: value for key, value in node.items() if key != NAMED_SCHEMA}
        name = node[NAMED_SCHEMA]
        known = named.setdefault(name, schema)
        # apispec moves a query parameter's description out of its schema: compare the rest
        if {**known, "description": None} != {**schema, "description": None}:
            raise ValueError(f"two different schemas are named {name}: {known} and {schema}")
        named[name] = {**schema, **known}
        return {"$ref": f"#/components/schemas/{name}"}
    return {key: _name_schemas(value, named) for key, value in node.items()}


def _refs(node: object) -> set[str]:
    if isinstance(node, list):
        return set().union(*map(_refs, node)) if node else set()
    if not isinstance(node, dict):
        return set()
    found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
    return found.union(*map(_refs, node.values())) if node else found


def drop_unused_components(spec: dict) -> dict:
    """Keep only the components something refers to (directly or through another component)."""
    sections = spec.get("components", {})
    used: set[str] = set()
    frontier = _refs(spec.get("paths", {}))
    while frontier - used:
        new = frontier - used
        used |= new
        frontier = set()
        for ref in new:
            _, _, section, name = ref.split("/", 3)
            frontier |= _refs(sections.get(section, {}).get(name, {}))
    for section, entries in sections.items():
        if section != "securitySchemes":
            sections[section] = {name: entries[name] for name in entries if f"#/components/{section}/{name}" in used}
    return spec


def describe(app: Flask, spec: dict) -> dict:
    """APIFlask spec processor for ``app``: apply every shared rule above to its document."""
    docstrings = _docstrings(app)
    shared = components()
    sections = spec.setdefault("components", {})
    for section, entries in shared.items():
        sections.setdefault(section, {}).update(entries)
    for path, method, operation in _operations(spec):
        text = docstrings.get((path, method))
        if text:
            operation["description"] = text
        operation.setdefault("security", [])
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path" and parameter["name"] in PATH_PARAMETERS:
                parameter.setdefault("description", PATH_PARAMETERS[parameter["name"]])
        if "requestBody" in operation:
            operation["requestBody"]["required"] = True
        _describe_responses(method, operation)
    named: dict = {}
    spec["paths"] = _name_schemas(spec.get("paths", {}), named)
    sections["schemas"] = _name_schemas(sections["schemas"], named)
    sections["schemas"].update(named)
    return drop_unused_components(spec)


def init_app(app: APIFlask) -> None:
    """Describe ``app``'s API by the shared rules."""
    # APIFlask types spec processors as taking a str too; it hands them the document as a dict.
    app.spec_processor(lambda spec: describe(app, spec))  # type: ignore[arg-type]
