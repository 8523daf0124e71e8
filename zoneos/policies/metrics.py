"""The per-enterprise, per-year metrics that bulk matching reads (`models.Metrics`), kept exact by
following the registry's `figures_changed` signal in the writing transaction."""
