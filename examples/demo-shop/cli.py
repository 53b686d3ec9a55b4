"""`defenceline demo`: run the demo shop on 127.0.0.1."""

from __future__ import annotations

import click


@click.command()
@click.option("--port", default=5000, show_default=True, help="Port on 127.0.0.1.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
def demo(port: int, host: str) -> None:
    """Run the demo shop "Trapkracht" (every part of defenceline, embedded defaults)."""
    from defenceline.demoshop.app import create_app

    app = create_app()
    click.echo(f"Trapkracht demo shop: http://{host}:{port}/  (Ctrl+C stops it)")
    app.run(host=host, port=port, threaded=True, use_reloader=False)
