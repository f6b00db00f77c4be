"""HTTP between services: one long-lived session per peer, explicit timeouts, problems on failure."""

from __future__ import annotations

import logging

import requests
from flask import g, has_request_context
from requests.adapters import HTTPAdapter

from .problems import Problem

log = logging.getLogger(__name__)
REQUEST_ID_HEADER = "X-Request-ID"


class ServiceClient:
    """Calls one peer service; a dead peer becomes 503, a slow one 504."""

    def __init__(self, name: str, base_url: str, timeout: float):
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        self.session.trust_env = False  # no proxy lookups: peers are on our own network
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=64, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def request(self, method: str, path: str, *, headers=None, timeout=None, **kwargs) -> requests.Response:
        """Send one request to the peer; raise a 503 or 504 Problem when it cannot answer."""
        headers = dict(headers or {})
        if has_request_context() and getattr(g, "request_id", None):
            headers.setdefault(REQUEST_ID_HEADER, g.request_id)
        try:
            return self.session.request(
                method, self.base_url + path, headers=headers, timeout=timeout or self.timeout, **kwargs
            )
        except requests.Timeout:
            log.warning("%s did not answer %s %s in time", self.name, method, path)
            raise Problem(504, f"The {self.name} service did not answer in time.") from None
        except requests.RequestException:
            log.warning("%s is unreachable for %s %s", self.name, method, path)
            raise Problem(
                503, f"The {self.name} service is unavailable; try again shortly.", headers={"Retry-After": "2"}
            ) from None
