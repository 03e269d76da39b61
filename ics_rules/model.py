"""Pydantic models of the `ics-constitution/1` file format: the facts the rules read.

Drafts are checked too, so only `schema` and `icb.name` are required; every model forbids
unknown keys and every enumeration is closed. Fields that refer to another object by id carry
`x-ref` metadata (the collection they point into); the loader checks those references and the
rules DSL uses them to follow a reference (`committees[type = audit].chair.role`).
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt

SCHEMA_ID = "ics-constitution/1"

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Text = Annotated[str, Field(max_length=2000)]
Date = _dt.date

Role = Literal["chair", "chief_executive", "partner_member", "executive", "non_executive",
               "other_member", "other"]
Appointer = Literal["nhs_england", "chair", "chief_executive", "board", "other"]
Approver = Literal["secretary_of_state", "nhs_england", "chair", "none"]
Sector = Literal["nhs_trusts", "primary_medical_services", "local_authorities", "mental_health",
                 "other"]
Portfolio = Literal["finance", "medical", "nursing", "other"]
Eligibility = Literal["fit_and_proper_person", "nolan_principles", "role_specification"]
Disqualification = Literal["member_of_parliament", "conviction_5y", "bankruptcy_restriction",
                           "health_body_dismissal_5y", "private_healthcare_independence"]
CommitteeType = Literal["audit", "remuneration", "quality", "finance", "primary_care", "place",
                        "other"]
Register = Literal["members", "employees", "committee_members"]
PlaceGovernance = Literal["consultative_forum", "committee_of_icb", "joint_committee",
                          "delegated_director", "lead_provider"]
PlaceMember = Literal["primary_care_leadership", "local_authority", "director_of_public_health",
                      "community_health_provider", "mental_health_provider", "healthwatch",
                      "vcse", "acute_provider", "ambulance_provider", "social_care_provider",
                      "icb", "other"]
SecondedFrom = Literal["civil_service", "listed_employer", "other"]
NominatingSector = Literal["nhs_trusts", "primary_medical_services"]
ForwardPlanContent = Literal["services", "general_duties", "financial_duties",
                             "health_and_wellbeing_strategy", "children_and_young_people",
                             "victims_of_abuse"]
AnnualReportContent = Literal["general_duties", "forward_plan", "capital_plan",
                              "health_and_wellbeing_strategy"]
ProviderType = Literal["acute", "mental_health", "community", "ambulance", "specialist"]
PARTNERSHIP_VOCABULARY = ("icb", "healthwatch", "vcse", "nhs_trusts", "primary_care",
                          "social_care_providers", "housing", "public_health",
                          "independent_sector", "other")
ESTABLISHER_VOCABULARY = ("icb",)


# What each word of the closed vocabularies means, in plain words (the field reference and the
# JSON Schema's enum descriptions show these; a test fails on a word without a meaning).
VALUE_MEANINGS: dict[str, str] = {
    "ics-constitution/1": "version 1 of this file format",
    "whole": "all of the council's area", "part": "only part of the council's area",
    "chair": "the chair of the ICB", "chief_executive": "the ICB's chief executive",
    "partner_member": "a partner member (nominated by trusts, GPs or councils)",
    "executive": "an executive member (an ICB director)",
    "non_executive": "an independent non-executive member",
    "other": "something not in this list (for a board role: a participant, not a member)",
    "nhs_trusts": "NHS trusts and foundation trusts",
    "primary_medical_services": "providers of primary medical services (GP practices)",
    "local_authorities": "the local councils", "mental_health": "mental health services",
    "finance": "finance", "medical": "medical (the medical director)",
    "nursing": "nursing (the director of nursing)", "nhs_england": "NHS England",
    "board": "the ICB's board", "secretary_of_state": "the Secretary of State for Health",
    "none": "nobody: no approval is needed",
    "fit_and_proper_person": "meets the fit and proper person test",
    "nolan_principles": "follows the seven principles of public life (the Nolan principles)",
    "role_specification": "meets the role's published specification",
    "member_of_parliament": "is a member of the House of Commons",
    "conviction_5y": "was convicted and sentenced to prison in the last five years",
    "bankruptcy_restriction": "is subject to a bankruptcy restriction or debt relief order",
    "health_body_dismissal_5y": "was dismissed by a health body in the last five years",
    "private_healthcare_independence": "holds a private healthcare role that could compromise "
                                       "the board's independence",
    "majority": "a majority vote of the members present",
    "consensus_only": "by consensus only, never by vote", "audit": "audit",
    "remuneration": "remuneration (pay and terms of the ICB's senior staff)",
    "quality": "quality of care", "primary_care": "primary care",
    "place": "a place (a local area within the system)",
    "members": "the board members", "employees": "the ICB's employees",
    "committee_members": "members of committees and sub-committees", "icb": "the ICB itself",
    "joint_committee": "a joint committee (of the ICB and others)",
    "healthwatch": "local Healthwatch",
    "vcse": "the voluntary, community and social enterprise sector",
    "social_care_providers": "providers of social care", "housing": "housing bodies",
    "public_health": "public health", "independent_sector": "independent sector providers",
    "consultative_forum": "a forum that advises but does not decide",
    "committee_of_icb": "a committee of the ICB",
    "delegated_director": "a director of the ICB acting under delegation",
    "lead_provider": "a lead provider contracted by the ICB",
    "primary_care_leadership": "primary care leaders (e.g. PCN clinical directors)",
    "local_authority": "the local council",
    "director_of_public_health": "the director of public health",
    "community_health_provider": "a community health services provider",
    "mental_health_provider": "a mental health services provider",
    "acute_provider": "an acute (hospital) provider", "ambulance_provider": "the ambulance service",
    "social_care_provider": "a social care provider", "acute": "acute hospital services",
    "community": "community health services", "ambulance": "ambulance services",
    "specialist": "specialist services", "horizontal": "members provide the same kind of service",
    "vertical": "members provide different kinds of service along a pathway",
    "system": "within this system", "multi_system": "across several systems",
    "mou": "a memorandum of understanding", "accord": "an accord", "charter": "a charter",
    "compact": "a compact", "planned": "planned, not yet being built",
    "in_development": "being built", "live": "in use", "social_care": "social care",
    "secondary_care": "secondary (hospital) care", "allied_health": "allied health professions",
    "pharmacy": "pharmacy", "dentistry": "dentistry", "optometry": "optometry",
    "constitution": "what the constitution itself states",
    "more_than": "more than the number or share given", "at_least": "at least the number or "
                                                                      "share given",
    "other_member": "a member of the ICB in none of the other roles (e.g. a place member)",
    "civil_service": "the civil service",
    "listed_employer": "an employer listed in Sch. 1B para 19(4)(b)",
    "services": "the health services the ICB will arrange",
    "general_duties": "how the ICB meets its general duties (ss.14Z34-14Z45)",
    "financial_duties": "how the ICB meets its financial duties (ss.223GB-223N)",
    "health_and_wellbeing_strategy": "the joint local health and wellbeing strategy",
    "children_and_young_people": "the needs of children and young people under 25",
    "victims_of_abuse": "the needs of victims of abuse",
    "forward_plan": "a review against the joint forward plan",
    "capital_plan": "a review against the capital resource use plan",
}


def ref(target: str, *, vocabulary: tuple[str, ...] = (), description: str | None = None) -> Any:
    """A field that names the id of an object in `target` (or one of `vocabulary`)."""
    extra: dict[str, Any] = {"x-ref": target}
    if vocabulary:
        extra["x-vocabulary"] = list(vocabulary)
    return Field(default=None, json_schema_extra=extra, description=description)


class Strict(BaseModel):
    """Base of every model: unknown keys are errors (they are usually typos)."""

    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=False,
                              use_attribute_docstrings=True)


class LocalAuthority(Strict):
    """A council whose area makes up all or part of the ICB's area."""

    id: Slug
    """Short id for this council, used to refer to it elsewhere in the file (e.g. `exampleshire-
    cc`)"""
    name: Text | None = None
    """The council's name as published"""
    social_care_responsibility: StrictBool | None = None
    """The council is a local social services authority (it has adult and children's social care
    duties)"""
    coverage: Literal["whole", "part"] | None = None
    """Whether the ICB's area takes in the whole of the council's area or only part of it"""


class Area(Strict):
    """The area for which the ICB is established (Sch. 1B para 2(b))."""

    description: Text | None = None
    """The ICB's area in words, as the constitution describes it"""
    local_authorities: list[LocalAuthority] | None = None
    """The councils whose areas make up the ICB's area"""
    lsoa_exceptions: list[Text] | None = Field(
        default=None,
        description="Lower-layer super output areas excluded from or added to the area")


class Variation(Strict):
    """How the constitution may be varied."""

    on_icb_application_with_nhs_england_approval: StrictBool | None = None
    """The ICB may apply to NHS England to vary the constitution, and a variation takes effect
    only once NHS England approves it"""
    nhs_england_own_initiative: StrictBool | None = None
    """NHS England may vary the constitution on its own initiative (after consulting the ICB)"""
    board_may_vary_unilaterally: StrictBool | None = None
    """The board may change the constitution by itself, without NHS England (the law does not
    allow this)"""


class ConstitutionMeta(Strict):
    """Version, dates and publication of the constitution document."""

    version: Annotated[str, Field(max_length=40)] | None = None
    """The constitution's version number or label, as text (quote it: "1.2")"""
    effective_from: Date | None = None
    """The date this version of the constitution took effect"""
    approved_by_nhs_england: Date | None = None
    """The date NHS England approved this version"""
    published_url: Text | None = None
    """Where the constitution is published (a web address)"""
    variation: Variation | None = None
    """How the constitution may be changed"""


class Icb(Strict):
    """The integrated care board itself."""

    name: Annotated[str, Field(min_length=1, max_length=300)]
    """The ICB's legal name, e.g. `NHS Exampleshire Integrated Care Board`"""
    short_name: Text | None = None
    """The name the ICB uses day to day, e.g. `Exampleshire ICB`"""
    establishment_order: Text | None = Field(
        default=None, description="Reference to the NHS England order that established the ICB")
    area: Area | None = None
    """The area the ICB covers"""
    constitution: ConstitutionMeta | None = None
    """Version, dates and publication of the constitution document"""


class BoardMember(Strict):
    """A member of the ICB (the board), or a non-voting participant (role `other`).

    A member who fits none of the named roles (e.g. a place member) has role `other_member`
    and counts as an ordinary member (Sch. 1B para 3(2)); participants never do."""

    id: Slug
    """Short id for this person or post, used to refer to them elsewhere (e.g. a committee's
    `chair`)"""
    role: Role
    """The post this person holds on the board"""
    name: Text | None = None
    """The post's name, or the holder's name"""
    title: Text | None = None
    """A job title, for a participant who is not a member (e.g. Director of Public Health)"""
    sector: Sector | None = None
    """For a partner member: the kind of organisation they come from"""
    nominated_by: Sector | None = None
    """For a partner member: the kind of organisation that nominates them"""
    portfolio: Portfolio | None = None
    """For an executive member: their area of responsibility"""
    appointed_by: Appointer | None = None
    """Who appoints this member"""
    approved_by: Approver | None = None
    """Whose approval the appointment needs"""
    removable_by: Appointer | None = None
    """Who may remove this member from office"""
    removal_approved_by: Approver | None = None
    """Whose approval a removal needs"""
    icb_employee: StrictBool | None = None
    """The member is employed by the ICB"""
    secondee: StrictBool | None = Field(
        default=None, description="Seconded to the ICB (counts as employed, Sch. 1B para 19)")
    seconded_from: SecondedFrom | None = None
    """Where a secondee comes from: the civil service or an employer listed in Sch. 1B para
    19(4)(b) (only these count as ICB employment for the chief executive, para 7(2)), or
    other"""
    independent: StrictBool | None = None
    """The member is independent of the organisations in the system (no post in a local health or
    care body)"""
    local_health_care_roles: list[Text] | None = Field(
        default=None, description="Posts held in health or care bodies in the ICB's area")
    mental_health_expertise: StrictBool | None = None
    """The member has knowledge and experience of mental illness"""
    expertise: list[Annotated[str, Field(pattern=r"^[a-z0-9_-]+$", max_length=60)]] | None = None
    """Areas of expertise, as lower-case words (e.g. `finance`, `audit`)"""
    deputy_chair: StrictBool | None = None
    """The member is the deputy chair"""
    senior_non_executive: StrictBool | None = None
    """The member is the senior independent non-executive"""
    voting: StrictBool | None = None
    """Whether this person votes at board meetings (false for a participant)"""


class Appointments(Strict):
    """What the constitution says about appointing board members."""

    private_healthcare_independence_test: StrictBool | None = None
    """Nobody is appointed whose role in private healthcare could compromise the board's
    independence"""
    ordinary_members_procedure: StrictBool | None = None
    """The constitution sets out how ordinary members are appointed"""
    mental_health_duty: StrictBool | None = None
    """Appointments have regard to the need for a member with knowledge of mental illness"""
    nominators_identified: list[NominatingSector] | None = None
    """The sectors whose bodies may take part in nominating partner members (the partner
    trusts; the providers of primary medical services) are identified, by name or description,
    in the constitution or its governance handbook"""
    eligibility: list[Eligibility] | None = None
    """The eligibility criteria the constitution applies to board members"""
    disqualifications: list[Disqualification] | None = None
    """The grounds on which a person cannot be a board member"""
    terms_of_office: StrictBool | None = None
    """The constitution sets the members' terms of office"""


class Quorum(Strict):
    """The board's quorum."""

    fraction: Annotated[StrictFloat | StrictInt, Field(gt=0, le=1)] | None = None
    """The share of members that must be present, as a number between 0 and 1 (e.g. 0.5 for half)"""
    members: Annotated[StrictInt, Field(ge=1)] | None = None
    """The number of members that must be present, when the quorum is a count"""
    comparator: Literal["more_than", "at_least"] | None = None
    """Whether the quorum is more than `fraction` of the members (more_than) or at least it"""
    must_include: list[Role] | None = None
    """Roles that must be among those present for the board to be quorate"""
    chair_required: StrictBool | None = Field(
        default=None, description="True when the board cannot be quorate without the chair")


class Decisions(Strict):
    """How the board reaches decisions."""

    consensus_first: StrictBool | None = None
    """The board aims to reach decisions by consensus before any vote"""
    voting: Literal["majority", "consensus_only"] | None = None
    """How the board decides when it cannot reach consensus"""
    chair_casting_vote: StrictBool | None = None
    """The chair has a casting vote when votes are tied"""


class Board(Strict):
    """The membership of the ICB and how it is appointed and meets."""

    members: list[BoardMember] | None = None
    """Everyone on the board: the members, and participants who attend (role `other`)"""
    appointments: Appointments | None = None
    """What the constitution says about appointing members"""
    quorum: Quorum | None = None
    """How many members must be present for the board to make decisions"""
    decisions: Decisions | None = None
    """How the board reaches decisions"""
    unitary: StrictBool | None = Field(
        default=None, description="The board meets as a unitary board, collectively accountable")
    skills_review: StrictBool | None = Field(
        default=None, description="Board skills, knowledge and experience are kept under review")


class Committee(Strict):
    """A committee of the board."""

    id: Slug
    """Short id for the committee (e.g. `audit`)"""
    name: Text | None = None
    """The committee's name"""
    type: CommitteeType | None = None
    """What kind of committee it is"""
    chair: Slug | None = ref("board.members")
    """The id of the board member who chairs the committee"""
    members: list[Slug] | None = ref("board.members")
    """The ids of the board members who sit on the committee"""
    terms_of_reference_published: StrictBool | None = None
    """The committee's terms of reference are published"""
    auditor_panel: StrictBool | None = Field(
        default=None,
        description="Acts as the ICB's auditor panel (Local Audit and Accountability Act 2014)")


class ConflictsOfInterest(Strict):
    """Registers of interests and the management of conflicts."""

    policy: StrictBool | None = None
    """The ICB has a policy for managing conflicts of interest"""
    registers: list[Register] | None = None
    """The registers of interests the ICB keeps"""
    registers_published: StrictBool | None = None
    """The registers of interests are published"""
    declarations_at_meetings: StrictBool | None = None
    """Interests are declared at the start of meetings"""
    guardian: Slug | None = ref("board.members")
    """The id of the board member who guards the conflicts of interest arrangements"""


class Transparency(Strict):
    """Meetings in public and publication."""

    board_meetings_in_public: StrictBool | None = None
    """Board meetings are held in public"""
    exclusion_by_resolution_only: StrictBool | None = None
    """The public is excluded from a meeting only by a resolution giving the reason"""
    papers_published: StrictBool | None = None
    """Board papers are published before meetings"""
    minutes_published: StrictBool | None = None
    """Board minutes are published"""
    annual_report: StrictBool | None = None
    """The ICB publishes an annual report"""
    audited_accounts_published: StrictBool | None = None
    """The ICB publishes its audited annual accounts"""


class PublicInvolvement(Strict):
    """Arrangements for involving people and communities (s.14Z45)."""

    arrangements: StrictBool | None = None
    """The ICB has arrangements to involve the people it serves (s.14Z45)"""
    planning: StrictBool | None = Field(
        default=None, description="People are involved in planning commissioning arrangements")
    proposals: StrictBool | None = Field(
        default=None, description="... in developing proposals for changes with an impact")
    decisions: StrictBool | None = Field(
        default=None, description="... in decisions that would have such an impact")
    carers_and_representatives: StrictBool | None = None
    """Carers and representatives are involved, not only patients"""
    plan_consultation: StrictBool | None = Field(
        default=None, description="People are consulted on the joint forward plan")
    principles_adopted: StrictBool | None = None
    """The ICB has adopted NHS England's principles for working with people and communities"""
    healthwatch_involved: StrictBool | None = None
    """Local Healthwatch is involved in the ICB's engagement"""
    strategy: StrictBool | None = None
    """The ICB has a strategy for working with people and communities"""


class Quality(Strict):
    """Quality governance."""

    system_quality_group: StrictBool | None = None
    """The system has a quality group that brings partners together on quality"""
    quality_lead: StrictBool | None = Field(
        default=None,
        description="The system has a named quality lead (Integrating care para 2.29)")


class AccountsAndAudit(Strict):
    """The ICB's annual accounts and their local audit (Sch. 1B para 22; LAAA 2014 ss.7-8)."""

    annual_accounts_prepared: StrictBool | None = None
    """Annual accounts are prepared for each financial year"""
    accounts_audited: StrictBool | None = None
    """The accounts are audited by a local auditor"""
    auditor_appointed: Date | None = None
    """When the current local auditor was appointed"""
    auditor_term_years: Annotated[StrictInt, Field(ge=0, le=50)] | None = None
    """How many years the current auditor's appointment runs"""
    auditor_appointment_published: StrictBool | None = None
    """A notice of the auditor's appointment was published"""


class AnnualReport(Strict):
    """The ICB's latest annual report (NHS Act 2006 s.14Z58)."""

    financial_year: Annotated[StrictInt, Field(ge=2022, le=2100)] | None = None
    """The financial year reported on, by the year it began (2024 for 2024/25)"""
    covers: list[AnnualReportContent] | None = None
    """What the report explains or reviews (s.14Z58(2)(a), (b), (d)): general duties, the
    forward and capital plans, the joint local health and wellbeing strategy"""
    health_and_wellbeing_boards_consulted: StrictBool | None = None
    """Each relevant health and wellbeing board was consulted on the strategy review
    (s.14Z58(3))"""


class Governance(Strict):
    """Standing orders, delegation, conflicts, transparency and involvement."""

    standing_orders: StrictBool | None = None
    """The ICB has standing orders (how meetings are run)"""
    scheme_of_reservation_and_delegation: StrictBool | None = None
    """The ICB has a scheme of reservation and delegation (who may decide what)"""
    standing_financial_instructions: StrictBool | None = None
    """The ICB has standing financial instructions"""
    functions_and_decisions_map: StrictBool | None = None
    """The ICB publishes a map of its functions and where decisions are made"""
    governance_handbook: StrictBool | None = None
    """The ICB keeps a governance handbook gathering its governance documents"""
    conflicts_of_interest: ConflictsOfInterest | None = None
    """Registers of interests and the management of conflicts"""
    transparency: Transparency | None = None
    """Meetings in public and what is published"""
    employees_terms_and_conditions: StrictBool | None = None
    """The constitution says how employees' terms and conditions are set"""
    public_involvement: PublicInvolvement | None = None
    """How the ICB involves people and communities"""
    quality: Quality | None = None
    """Quality governance"""
    accounts: AccountsAndAudit | None = None
    """The ICB's annual accounts and their audit"""
    annual_report: AnnualReport | None = None
    """The ICB's latest annual report"""


class IntegratedCareStrategy(Strict):
    """The integrated care partnership's strategy (LGPIHA 2007 s.116ZB)."""

    published: Date | None = None
    """The date the integrated care strategy was published"""
    s75_considered: StrictBool | None = None
    """The strategy considers arrangements under s.75 of the NHS Act 2006 (pooled budgets and
    joint working)"""
    regard_to_guidance: StrictBool | None = Field(
        default=None, description="Prepared having regard to the mandate and the Secretary of "
                                  "State's guidance on integrated care strategies (s.116ZB(3))")
    healthwatch_involved: StrictBool | None = None
    """Local Healthwatch was involved in preparing the strategy"""
    public_involved: StrictBool | None = None
    """People who live and work in the area were involved in preparing the strategy"""
    reviewed_after_jsna: StrictBool | None = None
    """The strategy is reviewed when a new joint strategic needs assessment is published"""


class Partnership(Strict):
    """The integrated care partnership (ICP): a joint committee of the ICB and local authorities."""

    name: Text | None = None
    """The partnership's name"""
    established_by: list[Slug] | None = ref(
        "icb.area.local_authorities", vocabulary=ESTABLISHER_VOCABULARY)
    """Who set up the partnership: `icb` and the ids of the councils"""
    form: Literal["joint_committee", "other"] | None = None
    """The legal form of the partnership"""
    chair_jointly_selected: StrictBool | None = None
    """The ICB and the councils choose the partnership's chair together"""
    integrated_care_strategy: IntegratedCareStrategy | None = None
    """The partnership's integrated care strategy"""
    members: list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]] | None = ref(
        "icb.area.local_authorities", vocabulary=PARTNERSHIP_VOCABULARY)
    """Who sits on the partnership: council ids, or words such as `icb`, `healthwatch`, `vcse`"""


class Place(Strict):
    """A place-based partnership."""

    id: Slug
    """Short id for the place (e.g. `sampletown`)"""
    name: Text | None = None
    """The place's name"""
    local_authorities: list[Slug] | None = ref("icb.area.local_authorities")
    """The ids of the councils whose area the place covers"""
    governance: PlaceGovernance | None = None
    """How the place partnership makes decisions"""
    committee: Slug | None = ref(
        "committees", description="The ICB or joint committee through which the place decides")
    members: list[PlaceMember] | None = None
    """The kinds of organisation in the place partnership"""
    joint_decision_making_with_local_government: StrictBool | None = None
    """The place makes decisions jointly with local government"""
    board_representation: StrictBool | None = None
    """The place is represented on the ICB's board"""
    delegated_budget: StrictBool | None = None
    """The place has a budget delegated to it"""
    functions: list[Text] | None = Field(
        default=None, description="The functions the place partnership decides on or carries out "
                                  "(an empty list states that there are none yet)")


class Provider(Strict):
    """An NHS trust or foundation trust in the system."""

    id: Slug
    """Short id for the trust (e.g. `example-mh-trust`)"""
    name: Text | None = None
    """The trust's name"""
    type: ProviderType | None = None
    """What kind of services the trust mainly provides"""
    collaboratives: list[Slug] | None = ref("provider_collaboratives")
    """The ids of the provider collaboratives the trust belongs to"""


class ProviderCollaborative(Strict):
    """A provider collaborative."""

    id: Slug
    """Short id for the collaborative"""
    name: Text | None = None
    """The collaborative's name"""
    kind: Literal["horizontal", "vertical"] | None = None
    """Whether its members provide the same kind of service or different kinds"""
    footprint: Literal["system", "multi_system"] | None = None
    """Whether it works within this system or across several"""
    board_representation: StrictBool | None = None
    """The collaborative is represented on the ICB's board"""
    objectives_agreed: StrictBool | None = None
    """The collaborative's objectives are agreed with the ICB"""
    governance_agreed: StrictBool | None = None
    """The collaborative's governance arrangements are agreed"""
    members_outside_system: list[Text] | None = Field(
        default=None, description="Member trusts that are not in this system's `providers` list "
                                  "(a collaborative spanning several systems)")


class PartnershipAgreement(Strict):
    """The formal agreement between the ICS and the VCSE sector."""

    signed: Date | None = None
    """The date the agreement was signed"""
    form: Literal["mou", "accord", "charter", "compact", "other"] | None = None
    """What kind of document the agreement is"""
    in_place: StrictBool | None = Field(
        default=None, description="The agreement is known to be in force although its signing "
                                  "date is not published")


class Vcse(Strict):
    """The voluntary, community and social enterprise sector's place in the system."""

    partnership_agreement: PartnershipAgreement | None = None
    """The formal agreement between the system and the sector"""
    governance_representation: StrictBool | None = None
    """The sector is represented in the system's governance"""


class Sro(Strict):
    """The named senior responsible owner for digital and data."""

    member: Slug | None = ref("board.members")
    """The id of the board member who is the senior responsible owner"""


class SharedCareRecord(Strict):
    """The shared care record."""

    name: Text | None = None
    """The shared care record's name"""
    status: Literal["planned", "in_development", "live"] | None = None
    """How far the shared care record has got"""
    settings: list[Literal["acute", "community", "mental_health", "primary_care", "social_care",
                           "ambulance", "other"]] | None = None
    """The care settings whose staff can use the record"""


class TransformationPlan(Strict):
    """The digital and data transformation plan."""

    horizon_years: Annotated[StrictInt, Field(ge=0, le=50)] | None = None
    """How many years ahead the plan looks"""
    approved: Date | None = None
    """The date the plan was approved"""


class Digital(Strict):
    """Digital and data foundations."""

    sro: Sro | None = None
    """The senior responsible owner for digital and data"""
    shared_care_record: SharedCareRecord | None = None
    """The shared care record"""
    transformation_plan: TransformationPlan | None = None
    """The digital and data transformation plan"""
    population_health_management_plan: StrictBool | None = None
    """The system has a plan for population health management"""
    national_standards: StrictBool | None = None
    """The system works to the national digital and data standards"""
    citizen_roadmap: StrictBool | None = None
    """The system has a roadmap for digital services for the public"""


class ClinicalLeadership(Strict):
    """Clinical and care professional leadership."""

    model_signed_off_by_board: StrictBool | None = None
    """The board has signed off the model of clinical and care professional leadership"""
    self_assessment: StrictBool | None = None
    """The system has assessed its clinical and care leadership against the national framework"""
    improvement_plan: StrictBool | None = None
    """The system has a plan to improve its clinical and care leadership"""
    includes: list[Literal["primary_care", "secondary_care", "nursing", "allied_health",
                           "social_care", "vcse", "pharmacy", "dentistry", "optometry",
                           "public_health", "other"]] | None = None
    """The professions the leadership model includes"""


class Finance(Strict):
    """Financial framework."""

    mental_health_investment_standard: StrictBool | None = None
    """The system meets the mental health investment standard"""
    system_financial_balance_duty: StrictBool | None = None
    """The ICB and its partner trusts share the duty to keep the system in financial balance"""
    resource_distribution_framework: StrictBool | None = None
    """The system has agreed how resources are distributed among its partners"""
    financial_risk_sharing: StrictBool | None = None
    """The system has agreed how financial risk is shared"""
    primary_and_community_services_guarantee: StrictBool | None = Field(
        default=None, description="The primary and community health services funding guarantee "
                                  "is met")


class JointForwardPlan(Strict):
    """The five-year joint forward plan the ICB and its partner trusts prepare each year."""

    published: Date | None = None
    """The date the joint forward plan was published"""
    horizon_years: Annotated[StrictInt, Field(ge=0, le=50)] | None = None
    """How many years ahead the plan looks (the law asks for at least five)"""
    with_partner_trusts: StrictBool | None = None
    """The plan is prepared with the ICB's partner NHS trusts and foundation trusts"""
    covers: list[ForwardPlanContent] | None = None
    """What the plan describes or sets out (s.14Z52(2)(a)-(e)): services, general duties,
    financial duties, steps on the joint local health and wellbeing strategy, on people under
    25 and on victims of abuse"""


class CapitalResourceUsePlan(Strict):
    """The joint capital resource use plan of the ICB and its partner trusts (s.14Z56)."""

    published: Date | None = None
    """The date the plan was published"""
    with_partner_trusts: StrictBool | None = None
    """The plan is prepared with the ICB's partner NHS trusts and foundation trusts"""


class Plans(Strict):
    """The system's statutory plans."""

    joint_forward_plan: JointForwardPlan | None = None
    """The five-year joint forward plan"""
    capital_resource_use_plan: CapitalResourceUsePlan | None = None
    """The joint capital resource use plan"""


class Pcn(Strict):
    """A primary care network in the system."""

    id: Slug
    """Short id for the network"""
    name: Text | None = None
    """The network's name"""
    clinical_director: Text | None = Field(
        default=None, description="The network's named accountable clinical director")


class Constitution(Strict):
    """One integrated care system: the ICB constitution and the system arrangements around it."""

    schema_: Literal["ics-constitution/1"] = Field(alias="schema")
    """The file format marker: always `ics-constitution/1`"""
    describes: Annotated[list[Literal["constitution", "icb", "system"]],
                         Field(min_length=1)] | None = None
    """What the file describes: `constitution` (what the constitution itself states), `icb`
    (the ICB's other documents: registers, plans, annual report, terms of reference),
    `system` (the wider system). Rules whose evidence lies elsewhere are not assessed. When
    absent: only `constitution` if the file holds no section beyond icb, board, committees
    and governance, otherwise all three"""
    icb: Icb
    """The ICB itself: its name, area and constitution"""
    board: Board | None = None
    """The board: its members, appointments, quorum and decisions"""
    committees: list[Committee] | None = None
    """The committees of the board"""
    governance: Governance | None = None
    """Standing orders, delegation, conflicts of interest, transparency and involvement"""
    partnership: Partnership | None = None
    """The integrated care partnership"""
    places: list[Place] | None = None
    """The place-based partnerships"""
    providers: list[Provider] | None = None
    """The NHS trusts and foundation trusts in the system"""
    provider_collaboratives: list[ProviderCollaborative] | None = None
    """The provider collaboratives in the system"""
    vcse: Vcse | None = None
    """The voluntary, community and social enterprise sector"""
    digital: Digital | None = None
    """Digital and data"""
    clinical_leadership: ClinicalLeadership | None = None
    """Clinical and care professional leadership"""
    finance: Finance | None = None
    """The financial framework"""
    plans: Plans | None = None
    """The system's statutory plans"""
    pcns: list[Pcn] | None = Field(
        default=None, description="Primary care networks (optional; rules on them apply only "
                                  "when the list is given)")

    model_config = ConfigDict(extra="forbid", populate_by_name=False,
                              use_attribute_docstrings=True)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the file format, generated from the models (`ics-rules schema`)."""
    schema = Constitution.model_json_schema(by_alias=True, mode="validation")
    _describe_nodes(schema, None)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://ics-rules.invalid/schema/ics-constitution-1.json"
    schema["title"] = "ics-constitution/1"
    return schema


def _describe_nodes(node: Any, inherited: str | None) -> None:
    """Give every typed node of the schema a description (a property's own, for the types
    inside it) and every enumeration its words' meanings, so an editor's hover and
    completion explain them (`enumDescriptions` is what the YAML language server reads)."""
    if isinstance(node, list):
        for item in node:
            _describe_nodes(item, inherited)
        return
    if not isinstance(node, dict):
        return
    typed = any(k in node for k in ("type", "enum", "const", "$ref"))
    if "description" not in node and inherited and typed:
        node["description"] = inherited
    own = node.get("description", inherited)
    words = node.get("enum") or ([node["const"]] if "const" in node else [])
    if words and all(isinstance(w, str) for w in words):
        node["enumDescriptions"] = [VALUE_MEANINGS.get(w, "") for w in words]
        node["markdownEnumDescriptions"] = [f"`{w}`: {VALUE_MEANINGS.get(w, '')}" for w in words]
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            for prop in value.values():
                _describe_nodes(prop, None)
        elif key == "$defs" and isinstance(value, dict):
            for definition in value.values():
                _describe_nodes(definition, None)
        elif isinstance(value, dict | list) and key not in ("enum", "const", "examples"):
            _describe_nodes(value, own)

