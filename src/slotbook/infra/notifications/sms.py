"""The default SMS sender: POSTs `{"to", "text"}` as JSON to a configured gateway URL."""

from __future__ import annotations

import httpx


class HttpSmsSender:
    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self._url = url
        self._timeout = timeout

    async def send(self, to: str, text: str) -> None:
        async with httpx.AsyncClient(timeout=self._timeout) as http:
            response = await http.post(self._url, json={"to": to, "text": text})
        response.raise_for_status()
