"""Live and recorded inputs: each source reads lines and hands them on, never decodes.

A source is named by a URL (``urls``), cuts its byte stream into lines
(``lines``) and puts ``(received_at, line, source_name)`` on one bounded queue
(``queue``), which drops the oldest lines and counts them when the consumer
falls behind.
"""
