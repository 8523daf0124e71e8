"""A corpus of spreadsheets shaped the way a zone's staff make them (titles, merged cells, units in a
subtitle line, totals and notes), built by code, each with what an import must store (in yuan), skip
and refuse. The tests run every sheet through the import engine; `scripts/build-import-corpus` writes
the files for people to try; docs/imports.md shows them."""
