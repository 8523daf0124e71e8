"""Observability: a request id on every log line (carried into the tasks a request queues), JSON logs in
production, one access line per request and the `/metrics` page that Prometheus scrapes."""
