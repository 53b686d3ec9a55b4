"""`defenceline demo`: run the demo shop on 127.0.0.1."""

from __future__ import annotations

import click


@click.command()
@click.option("--port", default=5000, show_default=True, help="Port on 127.0.0.1.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--expose-admin",
    is_flag=True,
    help="Serve /_outbox, /_checks and /_promise to other machines too (they show shoppers' "
    "addresses, working links and the shop's delivery figures; by default only this machine "
    "sees them).",
)
def demo(port: int, host: str, expose_admin: bool) -> None:
    """Run the demo shop "Trapkracht" (every part of defenceline, embedded defaults)."""
    from defenceline.demoshop.app import create_app
    from defenceline.demoshop.deliveries import start_rounds

    app = create_app(
        public_url=f"http://{host}:{port}",
        expose_admin=expose_admin,
        delivery_history="background",
    )
    # Every few seconds: the simulated carrier moves the demo's orders on, then reminders,
    # alerts and shipping emails leave through the outbox.
    start_rounds(app)
    click.echo(f"Trapkracht demo shop: http://{host}:{port}/  (Ctrl+C stops it)")
    admin = "" if expose_admin else " (this machine only)"
    click.echo(
        f"  help centre /help/  ·  page checks /_checks{admin}  ·  sent emails /_outbox{admin}"
        f"  ·  delivery promise /_promise{admin}"
        f"  ·  API http://{host}:{port}/defenceline/openapi.json"
    )
    app.run(host=host, port=port, threaded=True, use_reloader=False)
