"""Stable codes of every problem the service reports, and the one way each is worded for a reader.

Why: an integrator's program and a person in Almaty read the same refusal. The program keys on a
``code`` and its ``params`` (``case_not_found``, ``{"case_id": "…"}``), which never change with the
language; the person reads a ``detail`` in their language. Each code maps to an English msgid here;
Flask-Babel's catalogs (``app/translations/{ru,kk}``) hold the Russian and Kazakh words, so there is
one catalog to review and a test (tests/i18n of H1, tests/api/test_problem_codes.py) that no code
lacks a translation.

Domain code raises ``NotFound("case_not_found", {"case_id": case_id})`` (app/errors.py) and stays
free of Flask; only :func:`worded` asks Flask-Babel, and only the HTTP layer decides the language:
an API caller's ``Accept-Language`` (English when none is sent, so existing integrations keep the
words they parse), a page's UI language (app/i18n.current_language()).

Field-level faults (``errors: [{field, message}]``) can carry a code too: :func:`field` builds one
with ``code``, ``params`` and the English ``message``; :func:`reword_errors` words the message in the
reader's language. Codes of the form validator (``app/forms/validation.py``) are its own and are
left as they are.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping


def N_(msgid: str) -> str:
    """Marks a msgid for the catalogs (Babel extracts ``N_``); translated later, by :func:`worded`."""
    return msgid


# -- problems (the ``detail`` of a problem answer) ------------------------------------------------------------
PROBLEMS = {
    "bad_request": N_('bad request'),
    "not_found": N_('not found'),
    "forbidden": N_('forbidden'),
    "unauthorized": N_('unauthorized'),
    "conflict": N_('conflict'),
    "unavailable": N_('service unavailable'),
    "invalid": N_('unprocessable content'),
    "method_not_allowed": N_('the method is not allowed for this address'),
    "too_large": N_('the request is larger than the service accepts'),
    "unsupported_media_type": N_('this type of content is not accepted here'),
    "too_many_requests": N_('too many requests; try again later'),
    "internal_error": N_('the service could not answer; try again in a minute'),
    "http_error": N_('the request could not be served (error %(status)s)'),
    "not_found_address": N_('there is nothing at this address'),
    "csrf_failed": N_('the CSRF check failed: reload the page and send the form again'),
    "database_value_refused": N_('the request contains a value the database cannot store (such as a NUL character)'),
    "database_unavailable": N_('the database is not reachable; try again shortly'),
    "login_throttled": N_('too many failed sign-ins; try again in %(seconds)s s'),
    "user_invalid": N_('invalid user'),
    "user_exists": N_("user '%(username)s' exists"),
    "user_not_found": N_("no user '%(username)s'"),
    "password_policy": N_('the password does not meet the policy'),
    "notification_settings_invalid": N_('invalid notification settings'),
    "unknown_status": N_('unknown status'),
    "incidents_forbidden": N_('incidents are shown to supervisors, process owners and auditors'),
    "incident_retry_forbidden": N_('process owners retry incidents'),
    "incident_not_found": N_('no incident %(incident_id)s'),
    "incident_resolved": N_('the incident is resolved already'),
    "incident_message_not_waiting": N_('the message is no longer waiting to be routed'),
    "incident_timers_not_waiting": N_('the instance no longer waits for its timers'),
    "incident_retry_by_completing": N_("a person's completion is retried by completing the task again"),
    "instance_no_events": N_('instance %(instance_id)s has no events'),
    "step_out_of_range": N_('step out of range'),
    "step_missing": N_('no such step'),
    "instance_not_found": N_('no instance %(instance_id)s'),
    "auditors_only": N_('this is for auditors'),
    "empty_period": N_('empty period'),
    "access_log_auditors_only": N_('only auditors read the access log'),
    "pdf_unavailable":
        N_('PDFs cannot be made on this server: Pango is not installed (the printable history page works)'),
    "not_an_integer": N_('%(name)s must be an integer'),
    "out_of_range": N_('%(name)s out of range'),
    "not_a_boolean": N_('%(name)s must be true or false'),
    "not_a_date": N_('%(name)s is not a date'),
    "date_out_of_range": N_('%(name)s is out of range'),
    "version_not_found": N_('no version %(version_id)s'),
    "unknown_format": N_('unknown format'),
    "unknown_kind": N_('unknown kind'),
    "field_required": N_('%(field)s is required'),
    "roles_not_list": N_('roles must be a list of role names'),
    "agency_not_code": N_('agency must be an agency code'),
    "sign_in_required": N_("sign in or send 'Authorization: Bearer <token>'"),
    "token_invalid": N_('the token is not valid'),
    "role_required": N_('this needs one of the roles: %(roles)s'),
    "body_not_json": N_('the body must be JSON (Content-Type: application/json)'),
    "body_refused": N_('%(field)s: %(reason)s'),
    "body_not_object": N_('the body must be a JSON object'),
    "unknown_query_parameter": N_('unknown query parameter'),
    "query_too_long": N_('query too long'),
    "unknown_state": N_('unknown state'),
    "bpmn_file_required": N_('a BPMN file is required'),
    "unknown_territory": N_('unknown territory'),
    "case_not_found": N_('no case %(case_id)s'),
    "case_not_routed": N_('this case is not routed to your organisation or agency'),
    "limit_out_of_range": N_('limit must be 1..500'),
    "organisation_not_in_case": N_('your organisation takes no part in this case'),
    "agency_not_in_case": N_('your agency takes no part in this case'),
    "owners_only_page": N_('this page is for process owners'),
    "versions_not_numbers": N_('versions to compare must be numbers'),
    "process_not_deployed": N_("no process '%(process_id)s' is deployed"),
    "version_missing": N_("process '%(process_id)s' has no version %(version)s"),
    "form_not_found": N_("no form '%(name)s'"),
    "form_not_json": N_("form '%(name)s' in forms/ is not valid JSON"),
    "migrate_owners_only": N_('only process owners move cases between versions'),
    "instance_not_running": N_('the instance is %(status)s; only running cases move to a new version'),
    "migrate_not_newer": N_('the instance is on version %(version)s; it can only move to a newer version'),
    "migrate_refused": N_('the case cannot move to version %(version)s: %(reason)s'),
    "not_a_version_number": N_('%(field)s must be a version number'),
    "diagram_invalid": N_('the diagram cannot be deployed'),
    "number_allocation_failed": N_('could not allocate a registration number; try again'),
    "staff_only_start": N_('only agency staff start processes'),
    "start_other_lane":
        N_("staff of %(agency)s cannot start %(process_id)s: its start lies in another agency's lane or it is started only by a message"),
    "data_not_object": N_('data must be an object'),
    "process_cannot_start": N_('the process cannot start: %(reason)s'),
    "unknown_case": N_('unknown case'),
    "task_not_found": N_('no task %(task_id)s'),
    "task_other_lane": N_("this task belongs to another agency's lane"),
    "task_not_yours": N_('you may not complete this task'),
    "task_supervisors_only": N_('you may not complete this task (supervisors only)'),
    "task_not_waiting": N_('the task is %(state)s, not waiting any more'),
    "task_claimed": N_('the task is claimed by %(user)s'),
    "task_gone": N_('the task is not waiting any more: %(reason)s'),
    "task_diagram_broken":
        N_('the task cannot be completed, its diagram needs a fix (the process owner sees it as an incident): %(reason)s; your entries were not saved'),
    "concurrent_change": N_('someone else changed this instance at the same moment; reload and try again'),
    "claim_forbidden": N_('you may not claim this task'),
    "not_waiting": N_('not waiting'),
    "release_forbidden": N_('only the holder or a supervisor of the unit releases a task'),
    "handover_forbidden": N_('you may not hand this task over'),
    "no_such_colleague": N_('no such colleague'),
    "work_forbidden": N_('you may not work this task'),
    "residence_forbidden": N_('staff and supervisors of an organisation in the case record a change of residence'),
    "case_not_routed_org": N_('this case is not routed to your organisation'),
    "residence_invalid": N_('the residence cannot be changed'),
    "not_child_case": N_('not a case of this child'),
    "new_case_reason_required": N_('a new case of this child needs a reason'),
    "child_has_case": N_('this child already has a case: link the report to it or give the reason for a new case'),
    "supervisors_transfer": N_('supervisors transfer work'),
    "transfer_invalid": N_('the work cannot be transferred'),
    "another_agency": N_('another agency'),
    "task_not_your_unit": N_("this task is not your unit's"),
    "task_not_open": N_('not open'),
    "case_not_your_unit": N_('this case is not routed to your unit'),
    "transfer_other_agency": N_('work moves only between units of your agency'),
    "nothing_to_move": N_('nothing to move'),
    "message_refused": N_('the message cannot be accepted'),
    "case_outside_territory": N_('this case is not routed to your organisation, or lies outside your territory'),
    "organisation_invalid": N_('the organisation cannot be created'),
    "organisation_exists": N_('organisation %(code)s exists already'),
    "import_line_refused": N_('line %(line)s refused; nothing imported'),
    "organisation_not_found": N_('no organisation %(code)s'),
    "unknown_organisation": N_('unknown organisation'),
    "agency_mismatch": N_('agency mismatch'),
    "organisation_required": N_('organisation required'),
    "dashboard_forbidden": N_('the dashboard is for supervisors, overseers and auditors'),
    "admins_only": N_('admins only'),
    "task_not_in_case": N_('no task %(task_id)s in this case'),
    "attach_forbidden": N_('only staff of an agency working on this case attach documents to it'),
    "file_required": N_('a file is required'),
    "file_empty": N_('empty file'),
    "file_unsupported": N_('unsupported file'),
    "image_damaged": N_('damaged image'),
    "case_no_process": N_('the case has no process to record the document in'),
    "case_moved_on": N_('the case moved on while the file was stored; send it again'),
    "case_not_yours": N_('this case is not yours to see'),
    "document_not_found": N_('no document %(document_id)s'),
    "document_hash_mismatch": N_('the stored file does not match its recorded hash'),
    "document_file_missing": N_('the stored file of this document is missing'),
    "document_store_failed": N_('the document store failed (%(reason)s); nothing was saved, try again later'),
    "docx_refused": N_('the DOCX document cannot be accepted as it is'),
    "senders_only": N_('messages are sent by staff, supervisors and integrations'),
    "message_not_agency": N_("no lane of your agency sends '%(name)s' in this case's diagrams"),
    "sender_is_caller": N_('the sender is the signed-in caller'),
    "unsupported_language": N_('unsupported language'),
    "withdrawal_forbidden":
        N_('only the staff member who registered the report, or a supervisor of their unit, withdraws its registration'),
    "withdrawal_invalid": N_('the registration cannot be withdrawn'),
    "registration_withdrawn_already": N_('the registration of case %(number)s was withdrawn already'),
    "case_closed_no_withdrawal": N_('the work on case %(number)s is finished: there is nothing left to withdraw'),
    "case_withdrawn": N_('the registration of case %(number)s was withdrawn: no new work starts in it'),
}

FIELD_PROBLEMS = {
    "one_of": N_('one of %(values)s'),
    "between": N_('between %(lo)s and %(hi)s'),
    "event_missing": N_('event %(step)s is missing from the log'),
    "after_since": N_("must be after 'since'"),
    "an_integer": N_('an integer'),
    "true_or_false": N_('true or false'),
    "date_format": N_('YYYY-MM-DD or ISO 8601 with offset'),
    "date_between": N_('a date from %(first)s to %(last)s'),
    "json_or_csv": N_('json or csv'),
    "non_empty_string": N_('a non-empty string is required'),
    "list_of_strings": N_('a list of strings'),
    "a_string": N_('a string'),
    "missing": N_('required'),
    "json_malformed": N_('malformed or missing JSON'),
    "expected_object": N_('expected an object'),
    "not_a_case_filter": N_('not a filter of the case list'),
    "at_most_chars": N_('at most %(n)s characters'),
    "open_or_closed": N_('open or closed'),
    "upload_bpmn": N_("upload the .bpmn as field 'file'"),
    "only_parent": N_("only 'parent' is understood"),
    "kato_code": N_('a KATO code of the classifier'),
    "kato_code_api": N_('a KATO code of the classifier (GET /api/v1/territories)'),
    "not_an_incident_filter": N_('not a filter of incidents'),
    "not_a_parameter_here": N_('not a parameter of this request; it takes: %(names)s'),
    "no_parameters_here": N_('this request takes no query parameters'),
    "whole_number_between": N_('a whole number from %(lo)s to %(hi)s'),
    "a_number": N_('a number'),
    "a_version_number": N_('a version number'),
    "greater_than": N_('must be greater than %(n)s'),
    "json_object": N_('must be a JSON object'),
    "no_case": N_("no case '%(case_id)s'"),
    "not_a_colleague": N_('not a colleague who may work this task'),
    "child_case_id": N_("one of same_child_cases' ids"),
    "link_case": N_("the id of the child's case to link this case to"),
    "new_case_reason": N_('or why this report needs a case of its own'),
    "not_of_agency": N_('%(unit)s is not of agency %(agency)s'),
    "task_state": N_('the task is %(state)s'),
    "no_open_task": N_('no open task of your unit in this case'),
    "no_active_organisation": N_('no active organisation %(code)s'),
    "org_of_agency": N_('%(org)s belongs to %(agency)s'),
    "agency_has_orgs": N_('%(agency)s has organisations: staff and supervisors belong to one'),
    "send_file": N_("send the file as multipart field 'file'"),
    "file_is_empty": N_('the file is empty'),
    "file_types": N_('PDF, JPEG, PNG or DOCX only (by content)'),
    "image_unreadable": N_('the image cannot be read'),
    "docx_encrypted": N_('%(name)s is protected by a password: save it without one and attach it again'),
    "docx_macros": N_('%(name)s contains macros (%(part)s): save it as a .docx without macros, or as PDF'),
    "docx_embedded": N_('%(name)s contains an embedded object (%(part)s) whose author data cannot be removed: '
                        'save it as PDF'),
    "docx_image_format": N_('%(name)s contains a picture (%(part)s) whose location data cannot be removed: '
                            'use JPEG or PNG pictures, or save it as PDF'),
    "docx_too_many_parts": N_('%(name)s has more than %(n)s parts: not a document we accept'),
    "docx_too_big_unpacked": N_('%(name)s unpacks to more than %(mb)s MB (%(part)s): not a document we accept'),
    "docx_bad_part_name": N_('%(name)s contains a part with an unsafe name (%(part)s)'),
    "docx_damaged": N_('%(name)s is damaged and cannot be read (%(part)s)'),
    "role_sends_nothing": N_('your role sends no messages'),
    "org_no_part": N_('your organisation takes no part in this case'),
    "agency_no_part": N_('your agency takes no part in this case'),
    "not_agency_message": N_("'%(name)s' is not a message your agency sends"),
    "set_by_service": N_('set by the service from who calls, not by the body'),
    "unknown_agency": N_("unknown agency '%(agency)s'; one of %(values)s"),
    "roles_among": N_('roles must be among %(values)s'),
    "username_length": N_('1 to 80 characters'),
    "email_address": N_('an e-mail address such as name@example.kz'),
    "already_lives_there": N_('the child already lives there'),
    "reason_residence": N_('say why the residence changes'),
    "reason_transfer": N_('say why the work moves'),
    "reason_withdrawal": N_('say why the registration was made in error (at least %(n)s characters)'),
    "active_organisation": N_('an active organisation'),
    "message_name_required": N_('a message name is required'),
    "correlation_object": N_('must be an object such as {"case_id": "..."}'),
    "must_be_object": N_('must be an object'),
    "case_id_required": N_('a non-empty case id is required'),
    "correlated_by_case_id": N_('messages are correlated by case_id only'),
    "set_by_service_payload": N_('set by the service, not by the sender'),
    "org_code_format": N_("letters, digits, '.', '-', '_' (up to 80)"),
    "kato_code_needed": N_('at least one KATO code'),
    "not_in_classifier": N_('%(code)s is not in the classifier'),
    "no_organisation": N_('no organisation %(code)s'),
}

# -- problems of a diagram (deploy's and Check's ``errors``, and why a case cannot move to a version) ------------
MODEL_PROBLEMS = {
    "file_too_large": N_('the file is larger than %(mb)s MB'),
    "dtd_refused": N_('DTDs and entity declarations are not allowed in a diagram'),
    "xml_malformed": N_('not well-formed XML: %(reason)s (line %(line)s)'),
    "xml_too_deep": N_('the XML is nested deeper than %(depth)s levels'),
    "root_not_definitions": N_('the root element must be bpmn:definitions'),
    "target_namespace_missing": N_('bpmn:definitions needs a targetNamespace attribute'),
    "bpmn_schema": N_('BPMN schema, line %(line)s: %(reason)s'),
    "reserved_id": N_("the id '%(id)s' is reserved by the engine; rename it"),
    "sandbox_refused": N_('refused by the script sandbox: %(reason)s'),
    "engine_refused": N_('%(reason)s'),
    "engine_cannot_read": N_('the engine cannot read this process: %(reason)s'),
    "no_executable_process": N_('the file has no executable process (isExecutable="true")'),
    "one_executable_process": N_('the file must have exactly one executable top-level process'),
    "calls_missing_process": N_("calls process '%(process)s', which this file does not contain"),
    "message_not_declared": N_("refers to message '%(message)s', which is not declared (bpmn:message)"),
    "timer_without_expression": N_('the timer has no expression (timeDate, timeDuration or timeCycle)'),
    "lane_not_agency": N_("lane '%(lane)s' is not an agency of the Guide"),
    "user_task_outside_lane": N_("a user task must lie in an agency's lane"),
    "form_name_refused": N_("form file name '%(name)s' is not allowed (letters, digits, '_', '-', '.', ending .json)"),
    "form_missing": N_("form '%(name)s' was neither uploaded nor found in forms/"),
    "form_json_invalid": N_("form '%(name)s' is not valid JSON: %(reason)s"),
    "form_json_invalid_at": N_("form '%(name)s' is not valid JSON at %(field)s: %(reason)s"),
    "form_not_object": N_("form '%(name)s' must be a JSON object"),
    "form_not_schema": N_("form '%(name)s' is not a valid JSON Schema: %(reason)s"),
    "form_not_schema_at": N_("form '%(name)s' is not a valid JSON Schema at %(field)s: %(reason)s"),
    "called_process_gone":
        N_("the called process '%(process)s' is gone from the new version, and this case is inside it"),
    "element_gone": N_('%(element)s is %(state)s in this case but the new version has no element with that id'),
    "element_type_changed":
        N_('%(element)s is %(state)s in this case but in the new version it is a %(new_type)s, not a %(old_type)s'),
    "encoding_unknown":
        N_("the XML declares the encoding '%(encoding)s', which is not known; save the diagram as UTF-8"),
    "encoding_one_byte":
        N_("the XML declares the encoding '%(encoding)s' but is written in a one-byte encoding; save the diagram as UTF-8"),
    "encoding_invalid_bytes": N_('the file is not valid %(encoding)s (byte %(byte)s); save the diagram as UTF-8'),
    "encoding_mismatch":
        N_("the file is written in %(encoding)s but declares the encoding '%(declared)s'; save the diagram as UTF-8"),
    "correlation_property_without_id": N_('a correlation property needs an id'),
    "correlation_property_without_retrieval":
        N_('the correlation property has no retrieval expression (bpmn:correlationPropertyRetrievalExpression) for any message'),
    "retrieval_message_not_declared":
        N_("a retrieval expression refers to message '%(message)s', which is not declared (bpmn:message)"),
    "retrieval_without_message": N_('a retrieval expression names no message (messageRef)'),
    "retrieval_empty": N_("the retrieval expression for message '%(message)s' is empty"),
    "retrieval_refused":
        N_("the retrieval expression for message '%(message)s' is refused by the script sandbox: %(reason)s"),
    "correlation_key_unknown_property":
        N_("the correlation key '%(key)s' refers to property '%(property)s', which is not declared (bpmn:correlationProperty)"),
    "correlation_key_never_matches":
        N_("message '%(message)s' correlates by key '%(key)s', but this property has no retrieval expression for it, so its key could never match"),
    "correlates_by_unknown_property":
        N_("correlates by property '%(property)s', which is not declared (bpmn:correlationProperty)"),
    "correlation_expression_refused":
        N_("the correlation expression for property '%(property)s' is refused by the script sandbox: %(reason)s"),
}

# -- the lines of a version diff (app/modeler/diff.py; ``before``/``after`` as they are, None shown as —) ------------
CHANGES = {
    "element_added": N_('%(element)s added'),
    "element_added_in_lane": N_("%(element)s added in lane '%(lane)s'"),
    "element_removed": N_('%(element)s removed'),
    "type_changed": N_('%(element)s: is now a %(after)s (was a %(before)s)'),
    "renamed": N_("%(element)s: renamed from '%(before)s' to '%(after)s'"),
    "moved": N_("%(element)s: moved from lane '%(before)s' to lane '%(after)s'"),
    "timer_changed": N_("%(element)s: timer changed from '%(before)s' to '%(after)s'"),
    "form_changed": N_("%(element)s: form changed from '%(before)s' to '%(after)s'"),
    "ui_form_changed": N_("%(element)s: UI schema changed from '%(before)s' to '%(after)s'"),
    "message_changed": N_("%(element)s: message changed from '%(before)s' to '%(after)s'"),
    "role_changed": N_("%(element)s: required role changed from '%(before)s' to '%(after)s'"),
    "reattached": N_("%(element)s: attached to '%(after)s' (was '%(before)s')"),
    "form_content_changed": N_("form '%(form)s': content changed"),
    "flow_added": N_('%(element)s added: %(path)s'),
    "flow_added_if": N_('%(element)s added: %(path)s if %(condition)s'),
    "flow_removed": N_('%(element)s removed: %(path)s'),
    "flow_rewired": N_('%(element)s: flow changed: %(before)s → %(after)s'),
    "condition_changed": N_('%(element)s: condition changed: %(before)s → %(after)s'),
    "default_flow_changed": N_('%(element)s: default flow changed: %(before)s → %(after)s'),
    "script_changed": N_('%(element)s: script changed: %(before)s → %(after)s'),
    "pre_script_changed": N_('%(element)s: pre-script changed: %(before)s → %(after)s'),
    "post_script_changed": N_('%(element)s: post-script changed: %(before)s → %(after)s'),
    "payload_changed": N_('%(element)s: message payload changed: %(before)s → %(after)s'),
    "message_variable_changed": N_('%(element)s: message variable changed: %(before)s → %(after)s'),
    "called_element_changed": N_('%(element)s: called process changed: %(before)s → %(after)s'),
    "interrupting_changed": N_('%(element)s: interrupts the task changed: %(before)s → %(after)s'),
    "timer_kind_changed": N_('%(element)s: timer kind changed: %(before)s → %(after)s'),
    "loop_changed": N_('%(element)s: repetition changed: %(before)s → %(after)s'),
    "instructions_changed": N_('%(element)s: instructions changed: %(before)s → %(after)s'),
    "documentation_changed": N_('%(element)s: documentation changed: %(before)s → %(after)s'),
    "property_changed": N_('%(element)s: %(property)s changed: %(before)s → %(after)s'),
}

# -- why verification finds a log faulty (app/audit: re-execution, hash chain, anchors) --------------------------
VERIFICATION = {
    "version_not_recorded": N_('version %(version)s of %(process_id)s is not the one recorded'),
    "unexplained_event": N_('recorded %(event)s that no input explains'),
    "payload_not_recorded": N_("the delivered message's payload is not recorded"),
    "delivery_without_step": N_('a message delivery with no step after it'),
    "migration_before_start": N_('a migration before the instance started'),
    "migration_refused_again": N_('re-executed, the migration is refused: %(reason)s'),
    "hash_after_migration": N_('state hash differs after the migration'),
    "second_start": N_('a second instance_started in one log'),
    "log_not_started": N_('the log does not begin with instance_started'),
    "nothing_waits_for_message": N_("re-executed, nothing waits for message '%(message)s' here"),
    "task_not_ready_again": N_('re-executed, task %(task)s is not ready (%(reason)s)'),
    "event_opens_no_step": N_('recorded %(event)s does not open a step'),
    "no_task_waiting": N_('re-executed, no task %(task)s is waiting'),
    "log_ends_early": N_('re-execution gives %(got)s, the log ends'),
    "event_differs": N_('recorded %(event)s, re-execution gives %(got)s'),
    "event_other_instant": N_('recorded %(event)s at another instant than its step'),
    "state_hash_differs": N_('state hash differs: recorded %(recorded)s…, re-executed %(got)s…'),
    "event_other_data": N_('recorded %(event)s with other data than re-execution'),
    "step_ends_early": N_('recorded %(event)s, re-execution of the step ends before it'),
    "no_step_reexecuted": N_('no step could be re-executed'),
    "stored_data_differs": N_("the instance's stored data differs from its last step"),
    "status_differs": N_('the instance is %(status)s, re-executed it is %(got)s'),
    "reexecution_crashed": N_('re-execution failed: %(reason)s'),
    "chain_seq_missing": N_('missing or out of order (found %(found)s)'),
    "chain_prev_hash": N_('prev_hash does not match the previous event'),
    "chain_content": N_('content does not match its hash'),
    "chain_ends_early": N_("the log ends before the instance's last step (%(last)s)"),
    "chain_last_hash": N_("the last hash differs from the instance's"),
    "chain_fault": N_('hash chain: %(reason)s'),
    "anchor_altered": N_('anchor #%(anchor)s (%(at)s) was altered or an anchor before it removed'),
    "anchor_log_gone": N_("the instance's log is gone (anchor #%(anchor)s saw it up to seq %(seq)s)"),
    "anchor_event_missing": N_('missing: anchor #%(anchor)s saw the log up to this event'),
    "anchor_event_differs": N_('differs from what anchor #%(anchor)s saw (the log was rewritten)'),
    "instance_deleted_log_remains": N_('the instance was deleted; its log remains'),
}

# -- why a library refused something (a ``reason`` inside one of the sentences above), worded per code -----------
# A problem whose ``params`` carry ``reason_code`` (and ``reason_params``) has its ``%(reason)s`` worded from that
# code in the reader's language; ``params["reason"]`` keeps the library's own English words (RestrictedPython,
# jsonschema) as the technical detail for process owners and integrators. A reason without a code stays as it is.
REASONS = {
    "script_syntax": N_('line %(line)s: syntax error (diagram expressions are Python, e.g. '
                        'offence_signs == True; JUEL ${...} or XPath is not understood)'),
    "script_import": N_('line %(line)s: import is not allowed in diagram code'),
    "script_names": N_('%(names)s is not allowed in diagram code'),
    "script_underscore": N_('line %(line)s: %(name)s is not allowed because it starts with "_"'),
    "expression_empty": N_('the expression is empty'),
    "engine_no_start": N_('the process has no start event'),
    "engine_unclear_reference": N_("'%(id)s' is referred to but is not exactly one element of the process "
                                   "(it is missing, or its id is used twice)"),
    "engine_task_many_outgoing": N_('a task has more than one outgoing flow: branch with a gateway after it'),
}

#: the code of a problem raised with a plain English sentence instead of a code (a caller not yet converted),
#: and of Werkzeug's own HTTP errors, by status
BY_STATUS = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
             409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid",
             429: "too_many_requests", 500: "internal_error", 503: "unavailable"}


def msgid(code: str) -> str | None:
    return PROBLEMS.get(code) or FIELD_PROBLEMS.get(code) or MODEL_PROBLEMS.get(code) or CHANGES.get(code) \
        or VERIFICATION.get(code) or REASONS.get(code)


def _with_reason(params: Mapping[str, Any], lang: str | None) -> Mapping[str, Any]:
    """``params`` with ``reason`` worded from ``reason_code`` in ``lang`` (see REASONS); unchanged without one."""
    code = params.get("reason_code") if params else None
    if not code or not msgid(code):
        return params
    return {**params, "reason": worded(code, params.get("reason_params") or {}, lang)}


def _format(text: str, params: Mapping[str, Any]) -> str:
    if not params:
        return text
    try:
        return text % {k: ("—" if v is None else v) for k, v in params.items()}
    except (KeyError, TypeError, ValueError):        # a translation that lost a placeholder: say it in English
        return text


def english(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The English words of ``code`` (logs, the CLI, and API callers that ask for no language)."""
    text = msgid(code)
    return _format(text, _with_reason(params or {}, "en")) if text else code


def worded(code: str, params: Mapping[str, Any] | None = None, lang: str | None = None) -> str:
    """``code`` with ``params`` in ``lang`` (kk, ru or en) from the Flask-Babel catalogs; English
    outside a Flask application (plain domain tests, the CLI)."""
    text = msgid(code)
    if text is None:
        return code
    if lang in (None, "en"):
        return english(code, params)
    try:
        from flask import current_app
        from flask_babel import force_locale, gettext
        current_app._get_current_object()
        with force_locale(lang):
            translated = gettext(text)
    except Exception:                               # no application or no Babel: English it is
        translated = text
    return _format(translated, _with_reason(params or {}, lang)) if translated else english(code, params)


def worded_lines(lines: Iterable[dict] | None, lang: str, key: str = "text") -> list | None:
    """Diff lines (or diagram problems) with ``key`` worded in ``lang`` from each line's code and params."""
    if lines is None:
        return None
    return [{**d, key: worded(d["code"], d.get("params") or {}, lang)} if msgid(d.get("code") or "") else d
            for d in lines]


def worded_reason(fault: dict | None, lang: str) -> dict | None:
    """A verification fault (``{seq, reason, code, params}``) with its reason worded in ``lang``."""
    if not fault or not msgid(fault.get("code") or ""):
        return fault
    return {**fault, "reason": worded(fault["code"], fault.get("params") or {}, lang)}


def field(name: str, code: str, /, **params: Any) -> dict[str, Any]:
    """One field-level fault: ``{"field", "code", "params", "message"}`` with the English message."""
    assert code in FIELD_PROBLEMS, code
    return {"field": name, "code": code, "params": params, "message": english(code, params)}


def reword_errors(errors: Iterable[Any] | None, lang: str) -> list:
    """Field faults and diagram problems with each coded message worded in ``lang``; others (the form
    validator's codes, which app/pages/form_errors.py words) untouched."""
    out = []
    for e in errors or ():
        if isinstance(e, dict) and (e.get("code") in FIELD_PROBLEMS or e.get("code") in MODEL_PROBLEMS) \
                and "params" in e:
            e = {**e, "message": worded(e["code"], e.get("params") or {}, lang)}
        out.append(e)
    return out


def api_language(request) -> str:
    """The language an API problem is worded in: the best of kk, ru, en in the caller's
    ``Accept-Language``; English when none is sent (or none of ours is asked for), so integrations
    written against the English details keep working. Pages word theirs in the UI's language."""
    from .i18n import asked_language
    return asked_language(request.accept_languages) or "en"
    return "en"
