"""The auditors' domain: re-execution and verification of instances, anchors, access log, compliance.

An auditor, a prosecutor's inspector or a court must be able to see what happened to a child's
case and trust that the record was not altered afterwards. Everything here reads the event log
and the pinned process versions; nothing here changes an instance.
"""
