"""Telling staff of new work by e-mail: an outbox filled in the step's own transaction, sent by the worker."""
