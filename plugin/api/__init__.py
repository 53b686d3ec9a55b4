"""The JSON API's shared parts: the blueprint every feature adds its routes to, problem
documents (RFC 9457), reading requests, security headers, rate limits and the OpenAPI
document."""
