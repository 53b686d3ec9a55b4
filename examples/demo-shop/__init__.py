"""The demo shop "Trapkracht": a small Dutch webshop for bicycle accessories that uses every
part of defenceline. `defenceline demo` runs it."""
