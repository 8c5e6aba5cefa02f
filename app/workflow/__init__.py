"""The workflow engine: SOP definitions, the transition service, the working-day calendar."""
