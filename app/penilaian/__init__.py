"""Competency assessment: operations (one function per state change), pure results and rules, SOP hooks,
Excel import and reference data (its demo: app/demo/penilaian.py)."""
