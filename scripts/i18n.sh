#!/usr/bin/env bash
# UI string catalogs with Babel: extract → update → compile. Run after changing user-facing text.
#   bash scripts/i18n.sh            extract, update every language, compile
#   bash scripts/i18n.sh init xx    start a new language (then add it to services/languages.py)
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel=.venv/bin/pybabel
$pybabel extract -F babel.cfg -k _ -k N_ -k gettext -k ngettext:1,2 --no-location --sort-output \
  --project "Ny i Nordland" --copyright-holder "Ny i Nordland developers" -o locales/messages.pot .
if [ "${1:-}" = init ]; then
  $pybabel init -l "$2" -i locales/messages.pot -d locales
  exit 0
fi
$pybabel update -i locales/messages.pot -d locales --no-fuzzy-matching --ignore-obsolete
# English is the source language: its catalog says every new message as written.
.venv/bin/python - <<'PY'
from babel.messages.pofile import read_po, write_po

path = "locales/en/LC_MESSAGES/messages.po"
with open(path, "rb") as f:
    catalog = read_po(f)
for message in catalog:
    if message.id and not (all(message.string) if isinstance(message.id, tuple) else message.string):
        message.string = message.id
with open(path, "wb") as f:
    write_po(f, catalog)
PY
$pybabel compile -d locales --statistics
