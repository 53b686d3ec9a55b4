"""Signals other code can listen to (blinker, as Flask's own signals).

``stock_changed`` is sent with the app as sender and ``change=StockChange`` whenever the
plugin updates stock (the stock API or a catalogue import), so back-in-stock alerts can react
to a restock however it arrives.
"""

from __future__ import annotations

from blinker import Namespace

__all__ = ["stock_changed"]

_signals = Namespace()
stock_changed = _signals.signal("defenceline.stock-changed")
