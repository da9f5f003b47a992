"""R13: a short schemathesis pass over the whole OpenAPI spec, signed in as a few personas.

Every operation in /api/v1/schema/ gets a handful of generated requests (schema-valid ones and
deliberately invalid ones). The API must never answer 5xx, and every 4xx must carry the
project's error shape {code, message, fields}, no answer carries a Python repr, and no error
message of the (zh-Hans) requests is English. The pass is bounded and derandomised so the
suite stays fast and a failure reproduces; docs/testing.md says how to run a longer one.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation import GenerationMode

from govbuy.accounts import crypto
from govbuy.accounts.testing import api_token_for

SCHEMA_PATH = "/api/v1/schema/?format=json"
# Per operation and generation mode (valid, invalid). GOVBUY_FUZZ_EXAMPLES raises it for a longer pass.
EXAMPLES = int(os.environ.get("GOVBUY_FUZZ_EXAMPLES", "6"))
# Each generated request picks one; "public" sends no credentials.
PERSONAS = ("platform_admin", "purchaser_a", "provider_a", "city_finance", "auditor", "public")
# Ids the world's rows actually have, so detail operations reach real objects as well as 404s.
SMALL_IDS = st.integers(min_value=1, max_value=40)


class _SameConnectionWSGI(WSGIHandler):
    """The real WSGI handler minus the per-request connection recycling.

    The test runs inside one transaction on the test thread's connection; Django's own test client
    disconnects `close_old_connections` for the same reason (it would close that connection).
    """

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = super().__call__(environ, start_response)
            body = b"".join(response)
            response.close()
            return [body]
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


@dataclass
class Finding:
    persona: str
    operation: str
    mode: str
    problem: str

    def __str__(self) -> str:
        return f"[{self.persona}] {self.operation} ({self.mode}): {self.problem}"


def _error_shape_problem(response: Any) -> str | None:
    if not 400 <= response.status_code < 500 or response.status_code == 405:
        return None
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        return f"{response.status_code} body is not JSON: {response.content[:200]!r}"
    if not isinstance(body, dict) or set(body) != {"code", "message", "fields"}:
        return f"{response.status_code} body is not {{code, message, fields}}: {str(body)[:300]}"
    if (
        not isinstance(body["code"], str)
        or not isinstance(body["message"], str)
        or not isinstance(body["fields"], dict)
    ):
        return f"{response.status_code} error body has wrong types: {str(body)[:300]}"
    return None


# A Python repr leaking into an answer (a nested error dict stringified, an ErrorDetail).
_REPR = re.compile(r"ErrorDetail\(|\{0: |\[ErrorDetail|<[A-Za-z_.]+ object at 0x")
# Two English words in a message without a single Chinese character: an untranslated message.
_ENGLISH = re.compile(r"[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}")
_CJK = re.compile(r"[\u3400-\u9fff]")


def _language_problem(response: Any) -> str | None:
    """Every answer is free of Python reprs; every error message of a zh-Hans request is Chinese."""
    text = response.content.decode("utf-8", "replace")
    if _REPR.search(text):
        return f"{response.status_code} body contains a Python repr: {text[:300]}"
    if not 400 <= response.status_code < 500:
        return None
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    messages = [body.get("message")]
    for values in (body.get("fields") or {}).values():
        messages.extend(values if isinstance(values, list) else [values])
    for message in messages:
        if isinstance(message, str) and _ENGLISH.search(message) and not _CJK.search(message):
            return f"{response.status_code} English on a zh-Hans request: {message[:200]}"
    return None


def _pin_small_ids(case: Any, use_small: bool, small_id: int) -> None:
    if not use_small:
        return
    for name, value in list(case.path_parameters.items()):
        if isinstance(value, int) and not isinstance(value, bool):
            case.path_parameters[name] = small_id


def _run_operation(
    operation: Any, *, users: dict[str, Any], mode: GenerationMode, app: Any, seen: Counter
) -> list[Finding]:
    findings: list[Finding] = []
    label = f"{operation.method.upper()} {operation.path}"
    keys = {persona: crypto.new_api_token() for persona in users}

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        case=operation.as_strategy(generation_mode=mode),
        persona=st.sampled_from(PERSONAS),
        use_small=st.booleans(),
        small_id=SMALL_IDS,
    )
    def run(case: Any, persona: str, use_small: bool, small_id: int) -> None:
        _pin_small_ids(case, use_small, small_id)
        headers = {"Accept-Language": "zh-hans"}
        if persona != "public":
            # An operation may revoke the token (DELETE /auth/token/): every request gets a live one.
            headers["Authorization"] = f"Bearer {api_token_for(users[persona], keys[persona])}"
        response = case.call(app=app, headers=headers)
        seen[response.status_code // 100] += 1
        try:
            case.validate_response(response, checks=[not_a_server_error], headers=headers)
        except (AssertionError, Failure, FailureGroup) as exc:
            body = response.content[:500].decode("utf-8", "replace")
            findings.append(Finding(persona, label, mode.value, f"{exc}\n{case.as_curl_command()}\n{body}"))
            return
        problem = _error_shape_problem(response) or _language_problem(response)
        if problem:
            findings.append(Finding(persona, label, mode.value, f"{problem}\n{case.as_curl_command()}"))

    try:
        run()
    except Unsatisfiable:
        # Nothing in this operation can be made invalid (no parameters, no body): no negative case.
        if mode is not GenerationMode.NEGATIVE:
            raise
    return findings


def test_api_never_fails_on_generated_input(world):
    app = _SameConnectionWSGI()
    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, app)
    users = {name: getattr(world, name) for name in PERSONAS if name != "public"}
    findings: list[Finding] = []
    seen: Counter = Counter()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            findings.extend(_run_operation(operation, users=users, mode=mode, app=app, seen=seen))
    # The spec really was walked, and generated requests got past authentication and validation.
    assert operations > 100
    assert seen[2] > operations, seen
    assert seen[4] > operations, seen
    assert not findings, f"{len(findings)} finding(s):\n\n" + "\n\n".join(str(f) for f in findings)
