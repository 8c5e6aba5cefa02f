"""Competency assessment: operations (one function per state change), pure results and rules, SOP hooks,
Excel import, reference data and demo data."""
