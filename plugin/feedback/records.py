"""Shoppers' votes and page views from the help centre, and the stats file they become.

The help centre's "Was this helpful?" widget posts to ``{prefix}/api/v1/feedback`` and its
pages send a view beacon to ``{prefix}/api/v1/pageviews``. `export_stats` turns both into the
stats file the help centre orders its knowledge base by (``flask defenceline
helpcentre-stats``), closing the loop from votes to article order. Nothing personal is kept:
a page, a vote, a locale and a time; views are counted per page per day.

Anyone can post to both, so what they store is bounded: every field has a size and a shape,
each client has a rate limit (`defenceline.plugin.api.ratelimits`), and all clients together
store at most a set number of votes, and of distinct pages, per day (`StorageFull` beyond;
the check is a count before the insert, so concurrent requests may pass it by a few).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool
from sqlalchemy import Boolean, Date, DateTime, Integer, String, UniqueConstraint, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from defenceline.plugin.api.requests import PRINTABLE, LocaleTag
from defenceline.plugin.storage import Base, Storage, utcnow

__all__ = [
    "TITLE_PATTERN",
    "URL_PATTERN",
    "FeedbackIn",
    "PageViewIn",
    "StorageFull",
    "export_stats",
    "record_feedback",
    "record_view",
]

PageKey = Annotated[str, Field(min_length=1, max_length=500, pattern=r"^[^\x00-\x1f\x7f]+$")]
# The page's address as the help centre sends it: an absolute http(s) URL, one line.
URL_PATTERN = r"^https?://[^\x00-\x20\x7f]+$"
TITLE_PATTERN = PRINTABLE
PageUrl = Annotated[str, Field(max_length=2000, pattern=URL_PATTERN)]
PageTitle = Annotated[str, Field(max_length=300, pattern=TITLE_PATTERN)]


class StorageFull(Exception):
    """Today's allowance of rows is used up; `retry_after` is the seconds to the next day."""

    def __init__(self, what: str, retry_after: int) -> None:
        super().__init__(what)
        self.what = what
        self.retry_after = retry_after


class FeedbackRow(Base):
    __tablename__ = "dl_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    page: Mapped[str] = mapped_column(String(500), index=True)
    url: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str | None] = mapped_column(String(300))
    helpful: Mapped[bool] = mapped_column(Boolean)
    locale: Mapped[str | None] = mapped_column(String(35))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )


class PageViewRow(Base):
    __tablename__ = "dl_page_views"
    __table_args__ = (UniqueConstraint("page", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    page: Mapped[str] = mapped_column(String(500))
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    views: Mapped[int] = mapped_column(Integer, default=0)


class FeedbackIn(BaseModel):
    """The body the help centre's widget sends (see `defenceline.helpcentre.widgets`)."""

    model_config = ConfigDict(extra="forbid")

    page: PageKey
    helpful: StrictBool
    url: PageUrl | None = None
    title: PageTitle | None = None
    locale: LocaleTag | None = None


class PageViewIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    page: PageKey


def _next_day(now: dt.datetime) -> tuple[dt.datetime, int]:
    """The start of `now`'s UTC day, and the seconds until the next one starts."""
    start = dt.datetime.combine(now.astimezone(dt.UTC).date(), dt.time(0), tzinfo=dt.UTC)
    left = start + dt.timedelta(days=1) - now
    return start, max(1, int(left.total_seconds()))


def record_feedback(storage: Storage, vote: FeedbackIn, now: dt.datetime, max_per_day: int) -> None:
    """Store one vote; `StorageFull` once `max_per_day` votes arrived today (UTC)."""
    start, retry_after = _next_day(now)
    with storage.sessions().begin() as session:
        today = session.scalar(
            select(func.count()).select_from(FeedbackRow).where(FeedbackRow.created_at >= start)
        )
        if (today or 0) >= max_per_day:
            raise StorageFull("feedback votes", retry_after)
        session.add(
            FeedbackRow(
                page=vote.page,
                url=vote.url,
                title=vote.title,
                helpful=vote.helpful,
                locale=vote.locale,
                created_at=now,
            )
        )


def record_view(storage: Storage, view: PageViewIn, now: dt.datetime, max_pages: int) -> None:
    """Count one view of a page on `now`'s day with one atomic upsert (safe under
    concurrency); `StorageFull` for a page not yet counted that day once `max_pages` are."""
    day = now.astimezone(dt.UTC).date()
    dialect = storage.engine.dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(PageViewRow).values(page=view.page, day=day, views=1)
    statement = statement.on_conflict_do_update(
        index_elements=["page", "day"], set_={"views": PageViewRow.views + 1}
    )
    with storage.sessions().begin() as session:
        known = session.scalar(
            select(PageViewRow.id).where(PageViewRow.page == view.page, PageViewRow.day == day)
        )
        if known is None:
            pages = session.scalar(
                select(func.count()).select_from(PageViewRow).where(PageViewRow.day == day)
            )
            if (pages or 0) >= max_pages:
                raise StorageFull("pages counted", _next_day(now)[1])
        session.execute(statement)


def export_stats(storage: Storage, since: dt.date | None = None) -> dict[str, Any]:
    """``{"pages": {page: {"views", "helpful", "not_helpful"}}}`` over all time or `since`."""
    pages: dict[str, dict[str, int]] = {}

    def entry(page: str) -> dict[str, int]:
        return pages.setdefault(page, {"views": 0, "helpful": 0, "not_helpful": 0})

    with storage.sessions()() as session:
        views = select(PageViewRow.page, func.sum(PageViewRow.views)).group_by(PageViewRow.page)
        if since is not None:
            views = views.where(PageViewRow.day >= since)
        for page, count in session.execute(views):
            entry(page)["views"] = int(count or 0)
        votes = select(FeedbackRow.page, FeedbackRow.helpful, func.count()).group_by(
            FeedbackRow.page, FeedbackRow.helpful
        )
        if since is not None:
            start = dt.datetime.combine(since, dt.time(0), tzinfo=dt.UTC)
            votes = votes.where(FeedbackRow.created_at >= start)
        for page, helpful, count in session.execute(votes):
            entry(page)["helpful" if helpful else "not_helpful"] = int(count)
    return {"pages": dict(sorted(pages.items()))}
