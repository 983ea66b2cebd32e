"""Verifying instances: the hash chain, the anchors, and re-execution from the recorded inputs.

Three checks, each catching what the others cannot: the chain catches an edited, deleted or
reordered row; the anchors catch a deleted tail or a deleted instance; re-execution catches a
log that was rewritten with fresh hashes, or an engine that no longer does what it did.
Each verdict names the instance and the first sequence number at fault.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from ..errors import NotFound
from ..i18n import N_, gettext_in
from ..problems import worded
from ..events.service import events_of, verify_chain
from ..instances.environment import Settings
from ..instances.models import ProcessInstance
from .anchors import AnchorFault, anchored_ends, check_against_anchor
from .reexecute import Divergence, ReexecutionFailed, final_check, reexecute

_SEQ = re.compile(r"^seq (\d+): (.*)$")
#: the checks a fault line names
CHECKS = {"chain": N_("chain"), "anchor": N_("anchor"), "re-execution": N_("re-execution")}


@dataclass
class Verdict:
    instance_id: str
    events: int = 0
    steps: int = 0
    chain: Divergence | None = None          # the hash chain's first fault
    anchor: Divergence | None = None         # the log no longer holds what an anchor saw
    reexecution: Divergence | None = None    # the first step whose re-execution differs

    @property
    def ok(self) -> bool:
        return self.chain is None and self.anchor is None and self.reexecution is None

    @property
    def first_fault(self) -> tuple[str, Divergence] | None:
        faults = [(k, d) for k, d in (("chain", self.chain), ("anchor", self.anchor),
                                      ("re-execution", self.reexecution)) if d is not None]
        return min(faults, key=lambda f: f[1].seq) if faults else None

    def line(self, lang: str = "en") -> str:
        """One line of `flask audit verify`, in ``lang`` (English by default: scripts read it)."""
        if self.ok:
            return gettext_in(lang, N_("instance %(id)s: ok (%(events)s events, %(steps)s steps re-executed)"),
                              id=self.instance_id, events=self.events, steps=self.steps)
        kind, d = self.first_fault
        return gettext_in(lang, N_("instance %(id)s seq %(seq)s: %(check)s: %(reason)s"), id=self.instance_id,
                          seq=d.seq, check=gettext_in(lang, CHECKS[kind]), reason=d.worded(lang))

    def to_dict(self) -> dict:
        fault = self.first_fault
        return {"instance_id": self.instance_id, "ok": self.ok, "events": self.events, "steps": self.steps,
                "chain": self.chain.to_dict() if self.chain else None,
                "anchor": self.anchor.to_dict() if self.anchor else None,
                "reexecution": self.reexecution.to_dict() if self.reexecution else None,
                "first_fault": {"check": fault[0], **fault[1].to_dict()} if fault else None}


# the hash chain's faults (app.events.service.verify_chain words them in English) by their stable codes
_CHAIN = ((re.compile(r"^missing or out of order \(found (\d+)\)$"), "chain_seq_missing", ("found",)),
          (re.compile(r"^prev_hash does not match the previous event$"), "chain_prev_hash", ()),
          (re.compile(r"^content does not match its hash$"), "chain_content", ()),
          (re.compile(r"^the log ends before the instance's last step \((\d+)\)$"), "chain_ends_early", ("last",)),
          (re.compile(r"^the last hash differs from the instance's$"), "chain_last_hash", ()))


def _chain_fault(text: str | None) -> Divergence | None:
    if text is None:
        return None
    m = _SEQ.match(text)
    seq, reason = (int(m.group(1)), m.group(2)) if m else (1, text)
    for pattern, code, names in _CHAIN:
        found = pattern.match(reason)
        if found:
            return Divergence(seq, reason, code, dict(zip(names, found.groups())))
    return Divergence(seq, reason, "chain_fault", {"reason": reason})


def verify_instance(session, instance: ProcessInstance, *, settings: Settings,
                    anchored: tuple[int, str, int] | None = ..., reexecute_steps: bool = True) -> Verdict:
    events = events_of(session, instance.id)
    verdict = Verdict(instance.id, events=len(events))
    verdict.chain = _chain_fault(verify_chain(events, last_seq=instance.last_seq, last_hash=instance.last_hash))
    if anchored is ...:
        anchored = anchored_ends(session)[0].get(instance.id)
    fault = check_against_anchor(instance.id, events, anchored)
    if fault is not None:
        verdict.anchor = Divergence(fault.seq, fault.reason, fault.code, fault.params)
    if reexecute_steps and verdict.chain is None:
        verdict.reexecution = _reexecute(session, instance, events, settings, verdict)
    return verdict


def _reexecute(session, instance, events, settings, verdict: Verdict) -> Divergence | None:
    last = None
    try:
        for run in reexecute(session, instance, events, settings=settings):
            last = run
            verdict.steps += 1
    except ReexecutionFailed as exc:
        return exc.divergence
    except Exception as exc:  # a log an engine cannot even read is a divergence, not a crash of the audit
        seq = (last.last_seq + 1) if last else 1
        return Divergence.coded(seq, "reexecution_crashed", reason=f"{type(exc).__name__}: {exc}"[:480])
    return final_check(instance, last)


def verify_one(session, instance_id: str, *, settings: Settings) -> Verdict:
    instance = session.get(ProcessInstance, str(instance_id))
    if instance is None:
        raise NotFound("instance_not_found", {"instance_id": instance_id})
    return verify_instance(session, instance, settings=settings)


@dataclass
class Report:
    verdicts: list[Verdict]
    lost: list[AnchorFault]          # anchored instances that no longer exist, and altered anchors

    @property
    def ok(self) -> bool:
        return not self.lost and all(v.ok for v in self.verdicts)

    def lines(self, lang: str = "en") -> list[str]:
        out = [v.line(lang) for v in self.verdicts]
        for f in self.lost:
            reason = worded(f.code, f.params or {}, lang) if f.code else f.reason
            out.append(gettext_in(lang, N_("instance %(id)s seq %(seq)s: %(check)s: %(reason)s"), id=f.instance_id,
                                  seq=f.seq, check=gettext_in(lang, CHECKS["anchor"]), reason=reason)
                       if f.instance_id else gettext_in(lang, N_("anchors: %(reason)s"), reason=reason))
        return out

    def summary(self, lang: str = "en") -> str:
        bad = sum(not v.ok for v in self.verdicts) + len(self.lost)
        return gettext_in(lang, N_("%(n)s instance(s) verified, %(bad)s fault(s)"), n=len(self.verdicts), bad=bad)


def verify_all(session, *, settings: Settings, reexecute_steps: bool = True) -> Report:
    """Every instance, and every instance an anchor remembers (deleted ones included)."""
    ends, faults = anchored_ends(session)
    verdicts = []
    seen = set()
    ids = session.scalars(select(ProcessInstance.id).order_by(ProcessInstance.created_at, ProcessInstance.id)).all()
    for instance_id in ids:
        seen.add(instance_id)
        verdicts.append(verify_instance(session, session.get(ProcessInstance, instance_id), settings=settings,
                                        anchored=ends.get(instance_id), reexecute_steps=reexecute_steps))
        session.expunge_all()        # a long audit must not hold every instance's state in memory
    for instance_id in sorted(set(ends) - seen):
        events = events_of(session, instance_id)
        fault = check_against_anchor(instance_id, events, ends[instance_id])
        if fault is None:
            fault = AnchorFault.coded(instance_id, ends[instance_id][0], "instance_deleted_log_remains")
        faults.append(fault)
    return Report(verdicts, faults)
