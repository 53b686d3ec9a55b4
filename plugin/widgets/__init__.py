"""The stock, delivery-time and manifesto widgets: what each says (payloads, sentences) and
their routes (JSON API and HTML fragments). The Jinja helpers are in
`defenceline.plugin.templating`, the web components in ``static/defenceline.js``."""
