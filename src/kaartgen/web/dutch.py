"""Every problem the page shows, in plain Dutch, in one place.

The problems a facilitator runs into most get the page's own wording here (matched on the
English text); any other problem with a code from the message catalogue (`kaartgen.messages`)
is shown in the catalogue's Dutch, and anything else as it is, after a Dutch lead-in.
"""

from __future__ import annotations

import re

from kaartgen.errors import Problem


class BadInput(Exception):
    """A request the page cannot carry out; `message` is shown to the user as it is (Dutch)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


FIELD_LABELS = {
    "name": "Naam", "short_name": "Korte naam", "sector": "Sector", "primary": "Hoofdkleur",
    "secondary": "Tweede kleur", "logo": "Logo", "contact": "Contactregel", "decks": "Hulpmiddelen",
    "title": "Titel", "questions": "Vragen", "aandachtspunten": "Aandachtspunten", "step": "Stap",
    "audience": "Voor wie", "source": "Bron", "text": "Tekst", "subtitle": "Ondertitel",
}

_RULES: list[tuple[str, object]] = [
    (r"text of .* does not fit its \d+×(?P<box>\d+) mm box .*it needs (?P<need>\d+) mm of height",
     lambda m: f"De tekst past niet op de kaart: hij is {max(1, int(m['need']) - int(m['box']))} mm te hoog "
               f"(er is {m['box']} mm ruimte). Maak de tekst korter."),
    (r"text of .* does not fit .*a word is wider than the box",
     lambda m: "Een woord is te breed voor de kaart. Maak het woord korter of breek het af."),
    (r"is (?P<n>\d+) characters long; at most (?P<max>\d+) allowed",
     lambda m: f"Te lang: {m['n']} tekens, maximaal {m['max']}. Haal er {int(m['n']) - int(m['max'])} tekens af."),
    (r"has (?P<n>\d+) items; at most (?P<max>\d+) allowed",
     lambda m: f"Te veel regels: {m['n']}, maximaal {m['max']}. Haal er {int(m['n']) - int(m['max'])} weg."),
    (r"needs at least (?P<n>\d+) item",
     lambda m: f"Vul minstens {m['n']} regel{'s' if m['n'] != '1' else ''} in."),
    (r"missing required key '(?P<key>[^']+)'",
     lambda m: f"Vul {FIELD_LABELS.get(m['key'], m['key'])} in; dat is verplicht."),
    (r"must not be empty", lambda m: "Dit veld mag niet leeg zijn."),
    (r"a set can replace this text but not leave it empty",
     lambda m: "Leeg laten kan hier niet: dan blijft de standaardtekst staan. Schrijf een eigen tekst, "
               "of laat de hele kaart weg."),
    (r"'(?P<v>[^']*)' is not a colour", lambda m: f"'{m['v']}' is geen kleur; kies een kleur met de kleurkiezer."),
    (r"text contrast (?P<c>[\d.]+):1 on colour (?P<hex>#[0-9a-f]{6}) is below 4.5:1; using (?P<bw>\w+) text",
     lambda m: f"Tekst op de kleur {m['hex']} is slecht leesbaar (contrast {m['c'].replace('.', ',')}:1, "
               f"minimaal 4,5:1); kaartgen maakt de tekst daar {'zwart' if m['bw'] == 'black' else 'wit'}."),
    (r"the font has no glyph for (?P<chars>.*) in",
     lambda m: f"Het lettertype heeft geen teken voor {m['chars']}. Haal dat teken weg."),
    (r"logo '(?P<logo>[^']*)' not found", lambda m: f"Het logo '{m['logo']}' is niet gevonden; upload het opnieuw."),
    (r"no card with id '(?P<id>[^']*)'",
     lambda m: f"De kaart '{m['id']}' bestaat niet (meer) in dit hulpmiddel; zet de kaart terug."),
    (r"duplicate card id '(?P<id>[^']*)'", lambda m: f"Er zijn twee kaarten met de naam '{m['id']}'."),
    (r"'(?P<v>[^']*)' is not one of this set's decks", lambda m: f"'{m['v']}' hoort niet bij deze set."),
    (r"unknown deck '(?P<v>[^']*)'", lambda m: f"Het hulpmiddel '{m['v']}' bestaat niet."),
    (r"(?P<v>.+) is not one of (?P<choices>.*)",
     lambda m: f"{m['v']} kan hier niet; kies uit {m['choices'].split(' (')[0]}."),
]


def dutch(problem: Problem | str) -> str:
    """The problem as a Dutch sentence for someone who does not read YAML."""
    message = problem.message if isinstance(problem, Problem) else str(problem)
    message = re.sub(r"^deck '[^']*', card '[^']*': ", "", message)
    for pattern, make in _RULES:  # the page's own wording for a facilitator first
        match = re.search(pattern, message)
        if match:
            return make(match)
    if isinstance(problem, Problem) and problem.code:
        return problem.said.render("nl")
    return f"Probleem: {message}"


def field_of(problem: Problem) -> str:
    """The form field a problem belongs to: the last name in its key path ('' if none)."""
    missing = re.search(r"missing required key '([^']+)'", problem.message)
    if missing:  # said of the mapping that lacks it; it belongs to the missing field
        return missing[1]
    names = [part for part in re.split(r"[.\[\]]", problem.path or "") if part and not part.isdigit()]
    return names[-1] if names else ""
