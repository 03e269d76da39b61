"""The human names of rule topics (the `topic` clause), shared by the engine and reporters."""

from __future__ import annotations

# Human names of the rule topics (areas); an unknown topic is shown title-cased.
TOPIC_LABELS = {
    "constitution": "The constitution",
    "board": "Board membership",
    "appointments": "Appointments",
    "committees": "Committees",
    "governance": "Governance",
    "transparency": "Transparency",
    "conflicts": "Conflicts of interest",
    "involvement": "Public involvement",
    "partnership": "Integrated care partnership",
    "places": "Place-based partnerships",
    "collaboratives": "Provider collaboratives",
    "digital": "Digital and data",
    "vcse": "Voluntary, community and social enterprise sector",
    "finance": "Finance",
    "clinical": "Clinical leadership",
    "quality": "Quality",
}


def topic_label(topic: str) -> str:
    """The human name of a rule topic."""
    return TOPIC_LABELS.get(topic, topic.replace("_", " ").replace("-", " ").capitalize())
