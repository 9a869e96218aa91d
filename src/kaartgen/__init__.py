"""kaartgen: print-ready conversation cards, posters and checklists from YAML."""

__version__ = "0.1.0"
