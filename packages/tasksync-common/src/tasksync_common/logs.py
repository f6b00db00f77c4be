"""Logs as one JSON object a line on stdout, each naming its service and request id.

Gunicorn uses LOGGING (see gunicorn_config); the request id is the one the gateway creates (or
takes from X-Request-ID) and passes on, so one request can be followed through all three services.
"""

from __future__ import annotations

import logging
import os

from flask import g, has_request_context
from pythonjsonlogger.json import JsonFormatter

# Gunicorn's access-log atoms worth keeping, by the name they get in the JSON.
ACCESS_FIELDS = {
    "remote_addr": "h",
    "method": "m",
    "path": "U",
    "query": "q",
    "status": "s",
    "bytes": "B",
    "duration_ms": "M",
    "request_id": "{x-request-id}o",
    "user_agent": "a",
}


class RequestContext(logging.Filter):
    """Adds the service's name and, inside a request, its id."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = os.environ.get("TASKSYNC_SERVICE", "")
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


class Formatter(JsonFormatter):
    """JSON lines; an access record becomes fields instead of one Apache-style string."""

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            atoms = record.args
            for field, atom in ACCESS_FIELDS.items():
                value = atoms.get(atom, "-")
                log_data[field] = None if value == "-" else value
            log_data["message"] = f"{log_data['method']} {log_data['path']} {log_data['status']}"
            for number in ("status", "bytes", "duration_ms"):
                if isinstance(log_data[number], str) and log_data[number].isdigit():
                    log_data[number] = int(log_data[number])


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": RequestContext}},
    "formatters": {
        "json": {
            "()": Formatter,
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(service)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["context"],
        }
    },
    "root": {"level": "INFO", "handlers": ["stdout"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
    },
}
