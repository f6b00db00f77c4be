"""HTTP between services: one long-lived session per peer, explicit timeouts, problems on failure."""

from __future__ import annotations

import itertools
import logging

import requests
from flask import g, has_request_context
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError
from urllib3.util.retry import Retry

from .problems import Problem

log = logging.getLogger(__name__)
REQUEST_ID_HEADER = "X-Request-ID"


def _never_sent(error: requests.RequestException) -> bool:
    """True when the connection was refused or never made: trying another replica is safe."""
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(error, requests.ConnectTimeout) or isinstance(reason, NewConnectionError)


class ServiceClient:
    """Calls one peer service (one or more replicas, comma-separated URLs, taken in turn);
    a dead peer becomes 503, a slow one 504."""

    def __init__(self, name: str, base_url: str, timeout: float):
        self.name = name
        self.base_urls = [url.strip().rstrip("/") for url in base_url.split(",") if url.strip()]
        self._turn = itertools.count()
        self.timeout = timeout
        self.session = requests.Session()
        self.session.trust_env = False  # no proxy lookups: peers are on our own network
        # Retry only what cannot have reached the peer (connecting), never a sent request.
        retries = Retry(total=2, connect=2, read=False, redirect=False, status=0, other=False, raise_on_status=False)
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=64, max_retries=retries)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def request(self, method: str, path: str, *, headers=None, timeout=None, **kwargs) -> requests.Response:
        """Send one request to the peer; raise a 503 or 504 Problem when it cannot answer."""
        headers = dict(headers or {})
        if has_request_context() and getattr(g, "request_id", None):
            headers.setdefault(REQUEST_ID_HEADER, g.request_id)
        first = next(self._turn)
        for attempt in range(len(self.base_urls)):
            base_url = self.base_urls[(first + attempt) % len(self.base_urls)]
            try:
                return self.session.request(
                    method, base_url + path, headers=headers, timeout=timeout or self.timeout, **kwargs
                )
            except requests.Timeout as error:
                if _never_sent(error) and attempt + 1 < len(self.base_urls):
                    continue
                log.warning("%s did not answer %s %s in time", self.name, method, path)
                raise Problem(504, f"The {self.name} service did not answer in time.") from None
            except requests.RequestException as error:
                if _never_sent(error) and attempt + 1 < len(self.base_urls):
                    continue
                log.warning("%s is unreachable for %s %s", self.name, method, path)
                raise Problem(
                    503, f"The {self.name} service is unavailable; try again shortly.", headers={"Retry-After": "2"}
                ) from None
        raise AssertionError("unreachable: at least one base URL is configured")
