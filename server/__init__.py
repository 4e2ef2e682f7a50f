"""The Ny i Nordland backend (FastAPI + SQLAlchemy Core + Alembic). Not part of the app bundle."""
