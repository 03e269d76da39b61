"""What evidences a rule, and what a constitution file describes.

Every rule declares its evidence (`constitution`, `icb` or `system`); every constitution file
describes some of these (its `describes:` field, `--describes`, or the default worked out
here). A rule whose evidence the file does not describe is `not_assessed`, never failed.
"""

from __future__ import annotations

EVIDENCE = ("constitution", "icb", "system")

# Plain words for each kind of evidence (rule book, `rules show`, not-assessed reasons).
EVIDENCE_WORDS = {
    "constitution": "the constitution itself must say it",
    "icb": "a duty on the ICB, shown by its other documents: registers, plans, the annual "
           "report, committee terms of reference",
    "system": "a duty on another body or a joint one: the integrated care partnership, local "
              "authorities, NHS England, partner trusts",
}
