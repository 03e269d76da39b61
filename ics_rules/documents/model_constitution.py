"""The structure of NHS England's model ICB constitution, described in this project's words.

Each `Provision` is one thing the model provides for, under the model's numbering (which the
constitutions that follow the model keep): what it is about, cues that recognise it in a
document's headings and text, whether the model treats it as a legal or policy requirement
(to be kept) or as local drafting, and the model's position on the facts it settles (used by
`deviations`). No text of the model is reproduced here: titles and summaries are paraphrases,
cues are keywords.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Check = tuple[str, Callable[[dict[str, Any]], bool | None]]


@dataclass(frozen=True, slots=True)
class Provision:
    """One provision of the model constitution and how to recognise it."""

    key: str  # stable id used by the fact finder ("chair-appointment")
    number: str  # the model's clause number ("3.3"), or a label for the standing orders
    section: str  # the model's section title, paraphrased
    title: str  # what the provision is about, paraphrased
    heading: str  # regex matched against the clause's headings (and heading clauses)
    cues: tuple[str, ...]  # regexes matched against the clause text; each adds evidence
    required: bool = True  # a legal or policy requirement the model expects to be kept
    standard: tuple[Check, ...] = ()  # the model's position on facts this provision settles


def _members(data: dict[str, Any], role: str, **match: Any) -> list[dict[str, Any]]:
    out = []
    for m in (data.get("board") or {}).get("members") or []:
        if m.get("role") == role and all(m.get(k) == v for k, v in match.items()):
            out.append(m)
    return out


def _all(items: list[dict[str, Any]], key: str, value: Any) -> bool | None:
    """True/False when every item states `key` (and equals `value`); None when unstated."""
    got = [i.get(key) for i in items]
    if not got or any(g is None for g in got):
        return None
    return all(g == value for g in got)


def _at(data: dict[str, Any], *path: str) -> Any:
    cur: Any = data
    for p in path:
        if not isinstance(cur, dict):
            return None
        cur = cur.get(p)
    return cur


def _committee(data: dict[str, Any], kind: str) -> dict[str, Any] | None:
    return next((c for c in data.get("committees") or [] if c.get("type") == kind), None)


def _chair_is(data: dict[str, Any], kind: str, role: str | None = None,
              not_ids: tuple[str, ...] = ()) -> bool | None:
    c = _committee(data, kind)
    if c is None or c.get("chair") is None:
        return None
    chair = c["chair"]
    ids = {m.get("id"): m for m in (data.get("board") or {}).get("members") or []}
    member = ids.get(chair) or {}
    if role is not None and member.get("role") != role:
        return False
    excluded = set(not_ids)
    if "icb-chair" in excluded:
        excluded |= {m["id"] for m in _members(data, "chair")}
    if "audit-chair" in excluded:
        audit = _committee(data, "audit")
        if audit and audit.get("chair"):
            excluded.add(audit["chair"])
    return chair not in (excluded - {"icb-chair", "audit-chair"})


def _quorum_mixed(data: dict[str, Any]) -> bool | None:
    q = _at(data, "board", "quorum") or {}
    if q.get("fraction") is None and q.get("members") is None:
        return None
    return len(q.get("must_include") or []) >= 2


S1 = "Introduction"
S2 = "Composition of the board"
S3 = "Appointments to the board"
S4 = "Exercise of the ICB's functions"
S5 = "Procedures for making decisions"
S6 = "Conflicts of interest and business conduct"
S7 = "Accountability and transparency"
S8 = "Employees' terms and conditions"
S9 = "Public involvement"
SO = "Standing orders (appendix)"

PROVISIONS: tuple[Provision, ...] = (
    Provision("name", "1.2", S1, "the ICB's legal name", r"\bname\b",
              (r"\bname\s+of\s+(?:this|the)\s+(?:ICB|integrated\s+care\s+board)",
               r"\b(?:is\s+called|shall\s+be\s+known\s+as|is\s+named|will\s+be\s+known\s+as)\b",
               r"\bNHS\s+[A-Z][\w ,'&-]{2,80}?\s+Integrated\s+Care\s+Board\b"),
              standard=(("the ICB's name is stated", lambda d: _at(d, "icb", "name") is not None
                         or None),)),
    Provision("area", "1.3", S1, "the area the ICB covers", r"\barea\b",
              (r"\barea\s+(?:covered|of\s+the\s+ICB|for\s+which)", r"\bcoterminous\b",
               r"\b(?:County|City|Borough|District)\s+Council\b", r"\blocal\s+authorit",
               r"\bboundar|\bserves?\b|\bcovers?\b|\bpopulation\b")),
    Provision("status", "1.5", S1, "the constitution's status and the order establishing the ICB",
              r"\bstatus\b|\bestablish", (r"\(Establishment\)\s+Order", r"\bestablished\s+by\b",
                                           r"\bcame\s+into\s+effect|\btakes?\s+effect\b")),
    Provision("variation", "1.6", S1, "how the constitution may be varied",
              r"\bvariation\b|\bamend|\bvary", (r"\bvar(?:y|ied|iation)\b", r"\bamend(?:ed|ment)",
                                               r"\bapplication\b", r"\bNHS\s*England\b"),
              standard=(("varied only on the ICB's application with NHS England's approval",
                         lambda d: _at(d, "icb", "constitution", "variation",
                                       "on_icb_application_with_nhs_england_approval")),)),
    Provision("related-documents", "1.7", S1,
              "documents that support the constitution (standing orders, SoRD, SFIs, map, handbook)",
              r"\brelated\s+documents|\bsupporting\s+documents",
              (r"\bstanding\s+orders\b", r"\bscheme\s+of\s+reservation\b|\bSoRD\b",
               r"\bstanding\s+financial\s+instructions\b|\bSFIs?\b",
               r"\bfunctions\s+and\s+decisions?\s+map\b", r"\bgovernance\s+handbook\b")),
    Provision("composition", "2.1", S2, "who the members of the board are",
              r"\bcomposition\b|\bmembership\b|\bboard\s+members",
              (r"\b(?:consists?|comprises?|is\s+made\s+up)\s+of\b", r"\bordinary\s+members?\b",
               r"\bpartner\s+members?\b", r"\bnon[\s-]?executive\s+members?\b",
               r"\bexecutive\s+members?\b", r"\bunitary\s+board\b"),
              standard=(("a chair, a chief executive and at least three ordinary members",
                         lambda d: (len(_members(d, "chair")) == 1
                                    and len(_members(d, "chief_executive")) == 1
                                    and sum(len(_members(d, r)) for r in
                                            ("partner_member", "executive", "non_executive"))
                                    >= 3) or None),)),
    Provision("partner-nomination", "2.1.6", S2,
              "partner members nominated by trusts, primary medical services and local authorities",
              r"\bpartner\s+members?\b", (r"\bpartner\s+members?\b", r"\bnominat",
                                          r"\bNHS\s+trusts?\b|\bfoundation\s+trusts?\b",
                                          r"\bprimary\s+medical\s+services\b",
                                          r"\blocal\s+authorit"),
              standard=(("a partner member of each of the three sectors", lambda d: all(
                  _members(d, "partner_member", nominated_by=s) for s in
                  ("nhs_trusts", "primary_medical_services", "local_authorities")) or None),)),
    Provision("participants", "2.3", S2, "regular participants and observers at board meetings",
              r"\bparticipants?\b|\bobservers?\b",
              (r"\bparticipants?\b", r"\bobservers?\b", r"\bnon[\s-]?voting\b"), required=False),
    Provision("eligibility", "3.1", S3, "eligibility criteria every board member must meet",
              r"\beligib", (r"\bfit\s+and\s+proper\b", r"\bNolan\b|\bSeven\s+Principles\b",
                            r"\b(?:role|person)\s+specification\b")),
    Provision("disqualification", "3.2", S3, "who may not be a board member",
              r"\bdisqualif", (r"\bMember\s+of\s+Parliament\b", r"\bconvicted\b",
                               r"\bbankruptcy\b", r"\bdismissed\b",
                               r"\bindependence\s+of\s+the\s+health\s+service\b",
                               r"\bprivate\s+health\s*care\b"),
              standard=(("the private-healthcare independence prohibition is stated",
                         lambda d: _at(d, "board", "appointments",
                                       "private_healthcare_independence_test")),)),
    Provision("chair-appointment", "3.3", S3, "appointing the chair", r"\bchair\b(?!\s+of\s+the\s+audit)",
              (r"\bChair\b", r"\bappoint", r"\bNHS\s*England\b", r"\bSecretary\s+of\s+State\b",
               r"\bindependent\b"),
              standard=(("NHS England appoints the chair with the Secretary of State's approval",
                         lambda d: _all(_members(d, "chair"), "appointed_by", "nhs_england")
                         and _all(_members(d, "chair"), "approved_by", "secretary_of_state")),)),
    Provision("ceo-appointment", "3.4", S3, "appointing the chief executive",
              r"\bchief\s+executive\b",
              (r"\bChief\s+Executive\b", r"\bappoint", r"\bapprov", r"\bemployee\b"),
              standard=(("the chair appoints the chief executive with NHS England's approval",
                         lambda d: _all(_members(d, "chief_executive"), "appointed_by", "chair")
                         and _all(_members(d, "chief_executive"), "approved_by",
                                  "nhs_england")),)),
    Provision("pm-trusts", "3.5", S3, "the partner member(s) for NHS trusts and foundation trusts",
              r"partner\s+members?.{0,40}(?:trusts?|providers?\s+of\s+NHS)",
              (r"\bpartner\s+members?\b", r"\bNHS\s+trusts?\b|\bfoundation\s+trusts?\b",
               r"\bnominat", r"\bappoint"),
              standard=(("a partner member nominated by the NHS trusts and foundation trusts",
                         lambda d: bool(_members(d, "partner_member", nominated_by="nhs_trusts")) or None),)),
    Provision("pm-primary", "3.6", S3, "the partner member(s) for providers of primary medical services",
              r"partner\s+members?.{0,40}(?:primary|general\s+practice)",
              (r"\bpartner\s+members?\b", r"\bprimary\s+medical\s+services\b|\bgeneral\s+practice\b",
               r"\bnominat", r"\bappoint"),
              standard=(("a partner member nominated by the providers of primary medical services",
                         lambda d: bool(_members(d, "partner_member",
                                                 nominated_by="primary_medical_services")) or None),)),
    Provision("pm-la", "3.7", S3, "the partner member(s) for local authorities",
              r"partner\s+members?.{0,40}(?:local\s+authorit|council)",
              (r"\bpartner\s+members?\b", r"\blocal\s+authorit", r"\bnominat", r"\bappoint"),
              standard=(("a partner member nominated by the local authorities",
                         lambda d: bool(_members(d, "partner_member",
                                                 nominated_by="local_authorities")) or None),)),
    Provision("medical-director", "3.8", S3, "the medical director",
              r"medical\s+director|chief\s+medical",
              (r"\bMedical\s+Director\b|\bChief\s+Medical\b", r"\bappoint", r"\bemployee\b"),
              standard=(("a medical director among the executive members",
                         lambda d: bool(_members(d, "executive", portfolio="medical")) or None),)),
    Provision("nursing-director", "3.9", S3, "the director of nursing",
              r"director\s+of\s+nursing|chief\s+nurs",
              (r"\bDirector\s+of\s+Nursing\b|\bChief\s+Nurs", r"\bappoint", r"\bemployee\b"),
              standard=(("a director of nursing among the executive members",
                         lambda d: bool(_members(d, "executive", portfolio="nursing")) or None),)),
    Provision("finance-director", "3.10", S3, "the director of finance",
              r"director\s+of\s+finance|chief\s+financ|finance\s+director",
              (r"\bDirector\s+of\s+Finance\b|\bChief\s+Financ", r"\bappoint", r"\bemployee\b"),
              standard=(("a director of finance among the executive members",
                         lambda d: bool(_members(d, "executive", portfolio="finance")) or None),)),
    Provision("nem-appointment", "3.11", S3, "the non-executive members",
              r"non[\s-]?executive", (r"\bnon[\s-]?executive\b", r"\bappoint", r"\bindependent\b"),
              standard=(("at least two non-executive members besides the chair",
                         lambda d: len(_members(d, "non_executive")) >= 2 or None),)),
    Provision("removal", "3.13", S3, "removing board members from office",
              r"\bremov|suspen|terminat", (r"\bremov(?:e|ed|al)\b", r"\bsuspen",
                                             r"\bterminat", r"\bfrom\s+office\b"),
              standard=(("only NHS England may remove the chair, with the Secretary of State's "
                         "approval", lambda d: _all(_members(d, "chair"), "removable_by",
                                                    "nhs_england")
                         and _all(_members(d, "chair"), "removal_approved_by",
                                  "secretary_of_state")),)),
    Provision("terms", "3.14", S3, "terms of appointment and office", r"\bterms?\s+of\s+(?:office|appointment)",
              (r"\bterms?\s+of\s+(?:office|appointment)\b", r"\bre-?appoint", r"\byears?\b")),
    Provision("sord", "4.4", S4, "the scheme of reservation and delegation",
              r"reservation\s+and\s+delegation|\bSoRD\b|authority\s+to\s+act",
              (r"\bscheme\s+of\s+reservation\b|\bSoRD\b", r"\bdelegat", r"\breserved\b"),
              standard=(("a scheme of reservation and delegation",
                         lambda d: _at(d, "governance", "scheme_of_reservation_and_delegation")),)),
    Provision("decision-map", "4.5", S4, "the functions and decision map",
              r"functions\s+and\s+decisions?\s+map", (r"\bfunctions\s+and\s+decisions?\s+map\b",),
              required=False),
    Provision("audit-committee", "4.6", S4, "the audit committee",
              r"\baudit\b", (r"\bAudit(?:\s+and\s+Risk)?\s+Committee\b", r"\bchair",
                             r"\bfinance\b|\baudit\s+matters\b", r"\bnon[\s-]?executive\b"),
              standard=(("a non-executive member other than the ICB chair chairs the audit "
                         "committee", lambda d: _chair_is(d, "audit", "non_executive",
                                                          ("icb-chair",))),)),
    Provision("standing-orders", "5.1", S5, "the standing orders", r"standing\s+orders",
              (r"\bstanding\s+orders\b", r"\bmeetings\b", r"\bprocedures?\b"),
              standard=(("standing orders",
                         lambda d: _at(d, "governance", "standing_orders")),)),
    Provision("sfis", "5.2", S5, "the standing financial instructions",
              r"standing\s+financial\s+instructions|\bSFIs?\b",
              (r"\bstanding\s+financial\s+instructions\b|\bSFIs?\b",),
              standard=(("standing financial instructions",
                         lambda d: _at(d, "governance", "standing_financial_instructions")),)),
    Provision("coi", "6.1", S6, "managing conflicts of interest and registers of interests",
              r"conflicts?\s+of\s+interests?|business\s+conduct|declar",
              (r"\bconflicts?\s+of\s+interests?\b", r"\bregisters?\s+of\s+interests?\b",
               r"\bdeclar", r"\bGuardian\b", r"\bstandards\s+of\s+business\s+conduct\b"),
              standard=(("a conflicts of interest policy and a register of members' interests",
                         lambda d: (bool(_at(d, "governance", "conflicts_of_interest", "policy"))
                                    and "members" in (_at(d, "governance", "conflicts_of_interest",
                                                          "registers") or [])) or None),)),
    Provision("transparency", "7.3", S7, "meetings in public and what the ICB publishes",
              r"transparen|accountab|meetings\s+and\s+publications|publication",
              (r"\bin\s+public\b", r"\bpublish", r"\bminutes\b", r"\bannual\s+(?:report|accounts)\b",
               r"\baudited\b"),
              standard=(("board meetings held in public",
                         lambda d: _at(d, "governance", "transparency",
                                       "board_meetings_in_public")),)),
    Provision("remuneration-committee", "8.1", S8,
              "employees' terms and conditions and the remuneration committee",
              r"remuneration|terms\s+and\s+conditions",
              (r"\bRemuneration(?:\s+and\s+\w+)?\s+Committee\b", r"\bterms\s+and\s+conditions\b",
               r"\bemployees?\b", r"\bchair"),
              standard=(("a non-executive member other than the chair and the audit chair "
                         "chairs the remuneration committee",
                         lambda d: _chair_is(d, "remuneration", "non_executive",
                                             ("icb-chair", "audit-chair"))),)),
    Provision("public-involvement", "9.1", S9, "involving the public in commissioning",
              r"public\s+involvement|involv|engag",
              (r"\b14Z45\b", r"\binvolv", r"\bconsult", r"\bprinciples\b",
               r"\bcarers\b", r"\bHealthwatch\b", r"\bpeople\s+and\s+communities\b"),
              standard=(("public involvement arrangements are described",
                         lambda d: _at(d, "governance", "public_involvement",
                                       "arrangements")),)),
    Provision("quorum", "SO quorum", SO, "the board's quorum", r"\bquor",
              (r"\bquor(?:um|ate)\b", r"\bmajority\b|\bhalf\b|\bthird", r"\bincluding\b"),
              standard=(("a quorum that needs members of more than one kind",
                         lambda d: _quorum_mixed(d)),)),
    Provision("decisions", "SO decision making", SO, "how the board decides and votes",
              r"decision[\s-]making|voting|decisions", (r"\bconsensus\b", r"\bvot(?:e|ing)\b",
                                                        r"\bcasting\s+vote\b", r"\bmajority\b")),
)

BY_KEY = {p.key: p for p in PROVISIONS}
