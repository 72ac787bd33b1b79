"""An OpenAI-compatible chat-completions client (only used when LLM_BASE_URL is set)."""

from __future__ import annotations

import aiohttp
from pydantic import SecretStr

__all__ = ["OpenAICompatibleClient"]


class OpenAICompatibleClient:
    def __init__(
        self, base_url: str, model: str, api_key: SecretStr | None, timeout_s: float
    ) -> None:
        self._url = base_url.rstrip("/") + "/chat/completions"
        self._model = model
        self._api_key = api_key
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)

    async def complete(self, system: str, user: str) -> str:
        headers = {"Content-Type": "application/json"}
        if self._api_key is not None:
            headers["Authorization"] = f"Bearer {self._api_key.get_secret_value()}"
        payload = {
            "model": self._model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
            ],
        }
        async with (
            aiohttp.ClientSession(timeout=self._timeout) as session,
            session.post(self._url, json=payload, headers=headers) as response,
        ):
            response.raise_for_status()
            data = await response.json()
        return str(data["choices"][0]["message"]["content"])
