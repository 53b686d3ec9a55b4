"""The plugin's revisions, one file each, oldest first (Alembic reads them by path; this file
only makes the folder an installed subpackage, and Alembic skips it)."""
