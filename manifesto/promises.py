"""Comparing the promises in a manifesto's sentences with the store policy.

The reading itself — which number is about returns, shipping, dispatch, delivery or replies,
and whether the policy agrees — is the core's `defenceline.promises`, the one reader the help
centre's pages are checked with too. This module feeds it the manifesto: each statement is one
passage, split into sentences with their lines (a line break inside a paragraph does not end a
sentence; each list item is a sentence or several of its own), and turns what it reports into
findings of the rule of the same id.
"""

from __future__ import annotations

from collections.abc import Iterator

from defenceline.manifesto.findings import Finding, finding
from defenceline.manifesto.model import ListBlock, Manifesto, Statement, block_text
from defenceline.policy import Policy
from defenceline.promises import read_passage, split_sentences

__all__ = ["promise_findings"]


def _sentences(statement: Statement) -> Iterator[tuple[int, str]]:
    """The statement's sentences (whitespace folded) with the line each starts on."""
    for block in statement.blocks:
        text = block_text(block)
        chunks: list[tuple[int, str]] = []
        if isinstance(block, ListBlock):
            offset = 0
            for item in text.split("\n"):
                chunks.append((offset, item))
                offset += len(item) + 1
        else:
            chunks.append((0, text))
        for base, chunk in chunks:
            for offset, piece in split_sentences(chunk):
                line = block.line + text[: base + offset].count("\n")
                yield line, " ".join(piece.split())


def promise_findings(manifesto: Manifesto, policy: Policy) -> list[Finding]:
    """Warnings for every number and promise in `manifesto` that `policy` contradicts."""
    findings: list[Finding] = []
    for part, statement in manifesto.statements():
        sentences = list(_sentences(statement))
        for found in read_passage([s for _, s in sentences], manifesto.language, policy):
            findings.append(
                finding(
                    found.kind,
                    found.message,
                    sentences[found.sentence][0],
                    part.id,
                    statement.id,
                    found.evidence,
                    found.policy_field,
                )
            )
    return findings
