"""defenceline.helpcentre: the shop's help centre built with MkDocs + Material from Markdown,
with the store policy's facts injected."""
