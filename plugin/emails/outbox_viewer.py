"""An in-app outbox viewer for development and demos: ``/_outbox`` lists the outbox, and
``/_outbox/<id>`` shows one message as the recipient would see it (HTML in a sandboxed frame,
the plain text, the headers).

It shows shoppers' addresses and messages, so it has no place in production: register it
only in a development or demo app::

    from defenceline.plugin.emails.outbox_viewer import outbox_viewer

    if app.debug:
        app.register_blueprint(outbox_viewer)
"""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage

from flask import Blueprint, Response, abort, render_template_string

from defenceline.plugin.api.headers import add_security_headers
from defenceline.plugin.emails.outbox import OutboxRow, latest_rows, outbox_counts
from defenceline.plugin.state import state

__all__ = ["outbox_viewer"]

outbox_viewer = Blueprint("defenceline_outbox", __name__, url_prefix="/_outbox")
# nosniff, Referrer-Policy and framing like every plugin page. The Content-Security-Policy is
# the app's: the sandboxed preview frame inherits it, and emails carry inline styles.
outbox_viewer.after_request(add_security_headers)

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<title>Outbox</title>
<link rel="stylesheet" href="{{ url_for('defenceline.static', filename='outbox.css') }}">
</head><body><main>
{% if row %}
<p><a href="{{ url_for('defenceline_outbox.index') }}">&larr; Outbox</a></p>
<h1>#{{ row.id }} {{ row.subject or '(no message)' }}</h1>
<p class="{{ row.status }}">{{ row.status }}{% if row.reason %}: {{ row.reason }}{% endif %}</p>
<p>To {{ row.recipient }} · {{ row.kind }} · {{ row.message_id }}</p>
{% if html %}<iframe sandbox title="HTML part" srcdoc="{{ html }}"></iframe>{% endif %}
{% if text %}<h2>Plain text</h2><pre>{{ text }}</pre>{% endif %}
<h2>Headers</h2><pre>{{ headers }}</pre>
{% else %}
<h1>Outbox</h1>
<p>{% for status, count in counts.items() %}{{ status }}: {{ count }}
{%- if not loop.last %} · {% endif %}{% endfor %}</p>
<table><thead><tr><th>#</th><th>status</th><th>due / sent (UTC)</th><th>kind</th>
<th>to</th><th>subject</th></tr></thead><tbody>
{% for r in rows %}<tr>
<td><a href="{{ url_for('defenceline_outbox.message', row_id=r.id) }}">{{ r.id }}</a></td>
<td class="{{ r.status }}">{{ r.status }}{% if r.reason %} — {{ r.reason }}{% endif %}</td>
<td>{{ (r.sent_at or r.due_at).strftime('%Y-%m-%d %H:%M') }}</td><td>{{ r.kind }}</td>
<td>{{ r.recipient }}</td><td>{{ r.subject }}</td></tr>
{% else %}<tr><td colspan="6">No messages yet.</td></tr>{% endfor %}
</tbody></table>
{% endif %}
</main></body></html>"""


def _page(**context: object) -> Response:
    response = Response(render_template_string(_PAGE, row=None, **context))
    response.headers["Cache-Control"] = "no-store"
    return response


@outbox_viewer.get("/")
def index() -> Response:
    storage = state().storage
    return _page(counts=outbox_counts(storage), rows=latest_rows(storage, limit=200))


@outbox_viewer.get("/<int:row_id>")
def message(row_id: int) -> Response:
    with state().storage.sessions()() as session:
        row = session.get(OutboxRow, row_id)
    if row is None:
        abort(404)
    parsed = email.message_from_string(row.message or "", policy=email.policy.default)
    html = text = ""
    if isinstance(parsed, EmailMessage) and row.message:
        html_part = parsed.get_body(("html",))
        text_part = parsed.get_body(("plain",))
        html = html_part.get_content() if html_part is not None else ""
        text = text_part.get_content() if text_part is not None else ""
    headers = "\n".join(f"{name}: {value}" for name, value in parsed.items())
    response = Response(
        render_template_string(_PAGE, row=row, html=html, text=text, headers=headers)
    )
    response.headers["Cache-Control"] = "no-store"
    return response
