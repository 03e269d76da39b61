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


def ref(target: str, *, vocabulary: tuple[str, ...] = (), description: str | None = None) -> Any:
    """A field that names the id of an object in `target` (or one of `vocabulary`)."""
    extra: dict[str, Any] = {"x-ref": target}
    if vocabulary:
        extra["x-vocabulary"] = list(vocabulary)
    return Field(default=None, json_schema_extra=extra, description=description)


class Strict(BaseModel):
    """Base of every model: unknown keys are errors (they are usually typos)."""

    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=False)


class LocalAuthority(Strict):
    """A council whose area makes up all or part of the ICB's area."""

    id: Slug
    name: Text | None = None
    social_care_responsibility: StrictBool | None = None
    coverage: Literal["whole", "part"] | None = None


class Area(Strict):
    """The area for which the ICB is established (Sch. 1B para 2(b))."""

    description: Text | None = None
    local_authorities: list[LocalAuthority] | None = None
    lsoa_exceptions: list[Text] | None = Field(
        default=None,
        description="Lower-layer super output areas excluded from or added to the area")


class Variation(Strict):
    """How the constitution may be varied."""

    on_icb_application_with_nhs_england_approval: StrictBool | None = None
    nhs_england_own_initiative: StrictBool | None = None
    board_may_vary_unilaterally: StrictBool | None = None


class ConstitutionMeta(Strict):
    """Version, dates and publication of the constitution document."""

    version: Annotated[str, Field(max_length=40)] | None = None
    effective_from: Date | None = None
    approved_by_nhs_england: Date | None = None
    published_url: Text | None = None
    variation: Variation | None = None


class Icb(Strict):
    """The integrated care board itself."""

    name: Annotated[str, Field(min_length=1, max_length=300)]
    short_name: Text | None = None
    establishment_order: Text | None = Field(
        default=None, description="Reference to the NHS England order that established the ICB")
    area: Area | None = None
    constitution: ConstitutionMeta | None = None


class BoardMember(Strict):
    """A member of the ICB (the board), or a non-voting participant (role `other`).

    A member who fits none of the named roles (e.g. a place member) has role `other_member`
    and counts as an ordinary member (Sch. 1B para 3(2)); participants never do."""

    id: Slug
    role: Role
    name: Text | None = None
    title: Text | None = None
    sector: Sector | None = None
    nominated_by: Sector | None = None
    portfolio: Portfolio | None = None
    appointed_by: Appointer | None = None
    approved_by: Approver | None = None
    removable_by: Appointer | None = None
    removal_approved_by: Approver | None = None
    icb_employee: StrictBool | None = None
    secondee: StrictBool | None = Field(
        default=None, description="Seconded to the ICB (counts as employed, Sch. 1B para 19)")
    seconded_from: SecondedFrom | None = Field(
        default=None, description="Where a secondee is seconded from: the civil service or an "
                                  "employer listed in Sch. 1B para 19(4)(b) (only these count as "
                                  "ICB employment for the chief executive, para 7(2)), or other")
    independent: StrictBool | None = None
    local_health_care_roles: list[Text] | None = Field(
        default=None, description="Posts held in health or care bodies in the ICB's area")
    mental_health_expertise: StrictBool | None = None
    expertise: list[Annotated[str, Field(pattern=r"^[a-z0-9_-]+$", max_length=60)]] | None = None
    deputy_chair: StrictBool | None = None
    senior_non_executive: StrictBool | None = None
    voting: StrictBool | None = None


class Appointments(Strict):
    """What the constitution says about appointing board members."""

    private_healthcare_independence_test: StrictBool | None = None
    ordinary_members_procedure: StrictBool | None = None
    mental_health_duty: StrictBool | None = None
    nominators_identified: list[NominatingSector] | None = Field(
        default=None, description="Sectors whose bodies entitled to take part in nominating "
                                  "partner members (the partner trusts; the providers of primary "
                                  "medical services) are identified, by name or description, in "
                                  "the constitution or its governance handbook")
    eligibility: list[Eligibility] | None = None
    disqualifications: list[Disqualification] | None = None
    terms_of_office: StrictBool | None = None


class Quorum(Strict):
    """The board's quorum."""

    fraction: Annotated[StrictFloat | StrictInt, Field(gt=0, le=1)] | None = None
    members: Annotated[StrictInt, Field(ge=1)] | None = None
    must_include: list[Role] | None = None
    chair_required: StrictBool | None = Field(
        default=None, description="True when the board cannot be quorate without the chair")


class Decisions(Strict):
    """How the board reaches decisions."""

    consensus_first: StrictBool | None = None
    voting: Literal["majority", "consensus_only"] | None = None
    chair_casting_vote: StrictBool | None = None


class Board(Strict):
    """The membership of the ICB and how it is appointed and meets."""

    members: list[BoardMember] | None = None
    appointments: Appointments | None = None
    quorum: Quorum | None = None
    decisions: Decisions | None = None
    unitary: StrictBool | None = Field(
        default=None, description="The board meets as a unitary board, collectively accountable")
    skills_review: StrictBool | None = Field(
        default=None, description="Board skills, knowledge and experience are kept under review")


class Committee(Strict):
    """A committee of the board."""

    id: Slug
    name: Text | None = None
    type: CommitteeType | None = None
    chair: Slug | None = ref("board.members")
    members: list[Slug] | None = ref("board.members")
    terms_of_reference_published: StrictBool | None = None
    auditor_panel: StrictBool | None = Field(
        default=None,
        description="Acts as the ICB's auditor panel (Local Audit and Accountability Act 2014)")


class ConflictsOfInterest(Strict):
    """Registers of interests and the management of conflicts."""

    policy: StrictBool | None = None
    registers: list[Register] | None = None
    registers_published: StrictBool | None = None
    declarations_at_meetings: StrictBool | None = None
    guardian: Slug | None = ref("board.members")


class Transparency(Strict):
    """Meetings in public and publication."""

    board_meetings_in_public: StrictBool | None = None
    exclusion_by_resolution_only: StrictBool | None = None
    papers_published: StrictBool | None = None
    minutes_published: StrictBool | None = None
    annual_report: StrictBool | None = None
    audited_accounts_published: StrictBool | None = None


class PublicInvolvement(Strict):
    """Arrangements for involving people and communities (s.14Z45)."""

    arrangements: StrictBool | None = None
    planning: StrictBool | None = Field(
        default=None, description="People are involved in planning commissioning arrangements")
    proposals: StrictBool | None = Field(
        default=None, description="... in developing proposals for changes with an impact")
    decisions: StrictBool | None = Field(
        default=None, description="... in decisions that would have such an impact")
    carers_and_representatives: StrictBool | None = None
    plan_consultation: StrictBool | None = Field(
        default=None, description="People are consulted on the joint forward plan")
    principles_adopted: StrictBool | None = None
    healthwatch_involved: StrictBool | None = None
    strategy: StrictBool | None = None


class Quality(Strict):
    """Quality governance."""

    system_quality_group: StrictBool | None = None
    quality_lead: StrictBool | None = Field(
        default=None,
        description="The system has a named quality lead (Integrating care para 2.29)")


class AccountsAndAudit(Strict):
    """The ICB's annual accounts and their local audit (Sch. 1B para 22; LAAA 2014 ss.7-8)."""

    annual_accounts_prepared: StrictBool | None = Field(
        default=None, description="Annual accounts are prepared for each financial year")
    accounts_audited: StrictBool | None = Field(
        default=None, description="The accounts are audited by a local auditor")
    auditor_appointed: Date | None = Field(
        default=None, description="When the current local auditor was appointed")
    auditor_term_years: Annotated[StrictInt, Field(ge=0, le=50)] | None = Field(
        default=None, description="Length of the current auditor's appointment, in years")
    auditor_appointment_published: StrictBool | None = Field(
        default=None, description="A notice of the auditor's appointment was published")


class AnnualReport(Strict):
    """The ICB's latest annual report (NHS Act 2006 s.14Z58)."""

    financial_year: Annotated[StrictInt, Field(ge=2022, le=2100)] | None = Field(
        default=None, description="The financial year reported on, by the year it began "
                                  "(2024 for 2024/25)")
    covers: list[AnnualReportContent] | None = Field(
        default=None, description="What the report explains or reviews (s.14Z58(2)(a), (b), "
                                  "(d)): general duties, the forward and capital plans, the "
                                  "joint local health and wellbeing strategy")
    health_and_wellbeing_boards_consulted: StrictBool | None = Field(
        default=None, description="Each relevant health and wellbeing board was consulted on "
                                  "the strategy review (s.14Z58(3))")


class Governance(Strict):
    """Standing orders, delegation, conflicts, transparency and involvement."""

    standing_orders: StrictBool | None = None
    scheme_of_reservation_and_delegation: StrictBool | None = None
    standing_financial_instructions: StrictBool | None = None
    functions_and_decisions_map: StrictBool | None = None
    governance_handbook: StrictBool | None = None
    conflicts_of_interest: ConflictsOfInterest | None = None
    transparency: Transparency | None = None
    employees_terms_and_conditions: StrictBool | None = None
    public_involvement: PublicInvolvement | None = None
    quality: Quality | None = None
    accounts: AccountsAndAudit | None = None
    annual_report: AnnualReport | None = None


class IntegratedCareStrategy(Strict):
    """The integrated care partnership's strategy (LGPIHA 2007 s.116ZB)."""

    published: Date | None = None
    s75_considered: StrictBool | None = None
    regard_to_guidance: StrictBool | None = Field(
        default=None, description="Prepared having regard to the mandate and the Secretary of "
                                  "State's guidance on integrated care strategies (s.116ZB(3))")
    healthwatch_involved: StrictBool | None = None
    public_involved: StrictBool | None = None
    reviewed_after_jsna: StrictBool | None = None


class Partnership(Strict):
    """The integrated care partnership (ICP): a joint committee of the ICB and local authorities."""

    name: Text | None = None
    established_by: list[Slug] | None = ref(
        "icb.area.local_authorities", vocabulary=ESTABLISHER_VOCABULARY)
    form: Literal["joint_committee", "other"] | None = None
    chair_jointly_selected: StrictBool | None = None
    integrated_care_strategy: IntegratedCareStrategy | None = None
    members: list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]] | None = ref(
        "icb.area.local_authorities", vocabulary=PARTNERSHIP_VOCABULARY)


class Place(Strict):
    """A place-based partnership."""

    id: Slug
    name: Text | None = None
    local_authorities: list[Slug] | None = ref("icb.area.local_authorities")
    governance: PlaceGovernance | None = None
    committee: Slug | None = ref(
        "committees", description="The ICB or joint committee through which the place decides")
    members: list[PlaceMember] | None = None
    joint_decision_making_with_local_government: StrictBool | None = None
    board_representation: StrictBool | None = None
    delegated_budget: StrictBool | None = None
    functions: list[Text] | None = Field(
        default=None, description="The functions the place partnership decides on or carries out "
                                  "(an empty list states that there are none yet)")


class Provider(Strict):
    """An NHS trust or foundation trust in the system."""

    id: Slug
    name: Text | None = None
    type: ProviderType | None = None
    collaboratives: list[Slug] | None = ref("provider_collaboratives")


class ProviderCollaborative(Strict):
    """A provider collaborative."""

    id: Slug
    name: Text | None = None
    kind: Literal["horizontal", "vertical"] | None = None
    footprint: Literal["system", "multi_system"] | None = None
    board_representation: StrictBool | None = None
    objectives_agreed: StrictBool | None = None
    governance_agreed: StrictBool | None = None
    members_outside_system: list[Text] | None = Field(
        default=None, description="Member trusts that are not in this system's `providers` list "
                                  "(a collaborative spanning several systems)")


class PartnershipAgreement(Strict):
    """The formal agreement between the ICS and the VCSE sector."""

    signed: Date | None = None
    form: Literal["mou", "accord", "charter", "compact", "other"] | None = None
    in_place: StrictBool | None = Field(
        default=None, description="The agreement is known to be in force although its signing "
                                  "date is not published")


class Vcse(Strict):
    """The voluntary, community and social enterprise sector's place in the system."""

    partnership_agreement: PartnershipAgreement | None = None
    governance_representation: StrictBool | None = None


class Sro(Strict):
    """The named senior responsible owner for digital and data."""

    member: Slug | None = ref("board.members")


class SharedCareRecord(Strict):
    """The shared care record."""

    name: Text | None = None
    status: Literal["planned", "in_development", "live"] | None = None
    settings: list[Literal["acute", "community", "mental_health", "primary_care", "social_care",
                           "ambulance", "other"]] | None = None


class TransformationPlan(Strict):
    """The digital and data transformation plan."""

    horizon_years: Annotated[StrictInt, Field(ge=0, le=50)] | None = None
    approved: Date | None = None


class Digital(Strict):
    """Digital and data foundations."""

    sro: Sro | None = None
    shared_care_record: SharedCareRecord | None = None
    transformation_plan: TransformationPlan | None = None
    population_health_management_plan: StrictBool | None = None
    national_standards: StrictBool | None = None
    citizen_roadmap: StrictBool | None = None


class ClinicalLeadership(Strict):
    """Clinical and care professional leadership."""

    model_signed_off_by_board: StrictBool | None = None
    self_assessment: StrictBool | None = None
    improvement_plan: StrictBool | None = None
    includes: list[Literal["primary_care", "secondary_care", "nursing", "allied_health",
                           "social_care", "vcse", "pharmacy", "dentistry", "optometry",
                           "public_health", "other"]] | None = None


class Finance(Strict):
    """Financial framework."""

    mental_health_investment_standard: StrictBool | None = None
    system_financial_balance_duty: StrictBool | None = None
    resource_distribution_framework: StrictBool | None = None
    financial_risk_sharing: StrictBool | None = None
    primary_and_community_services_guarantee: StrictBool | None = Field(
        default=None, description="The primary and community health services funding guarantee "
                                  "is met")


class JointForwardPlan(Strict):
    """The five-year joint forward plan the ICB and its partner trusts prepare each year."""

    published: Date | None = None
    horizon_years: Annotated[StrictInt, Field(ge=0, le=50)] | None = None
    with_partner_trusts: StrictBool | None = None
    covers: list[ForwardPlanContent] | None = Field(
        default=None, description="What the plan describes or sets out (s.14Z52(2)(a)-(e)): "
                                  "services, general duties, financial duties, steps on the "
                                  "joint local health and wellbeing strategy, on people under "
                                  "25 and on victims of abuse")


class CapitalResourceUsePlan(Strict):
    """The joint capital resource use plan of the ICB and its partner trusts (s.14Z56)."""

    published: Date | None = None
    with_partner_trusts: StrictBool | None = None


class Plans(Strict):
    """The system's statutory plans."""

    joint_forward_plan: JointForwardPlan | None = None
    capital_resource_use_plan: CapitalResourceUsePlan | None = None


class Pcn(Strict):
    """A primary care network in the system."""

    id: Slug
    name: Text | None = None
    clinical_director: Text | None = Field(
        default=None, description="The network's named accountable clinical director")


class Constitution(Strict):
    """One integrated care system: the ICB constitution and the system arrangements around it."""

    schema_: Literal["ics-constitution/1"] = Field(alias="schema")
    describes: Annotated[list[Literal["constitution", "icb", "system"]],
                         Field(min_length=1)] | None = Field(
        default=None,
        description="What the file describes: the constitution itself, the ICB's other documents "
                    "(registers, plans, annual report, terms of reference), the wider system. "
                    "Rules whose evidence lies elsewhere are not assessed. Default: only "
                    "`constitution` when the file holds no section beyond icb, board, "
                    "committees and governance; otherwise all three")
    icb: Icb
    board: Board | None = None
    committees: list[Committee] | None = None
    governance: Governance | None = None
    partnership: Partnership | None = None
    places: list[Place] | None = None
    providers: list[Provider] | None = None
    provider_collaboratives: list[ProviderCollaborative] | None = None
    vcse: Vcse | None = None
    digital: Digital | None = None
    clinical_leadership: ClinicalLeadership | None = None
    finance: Finance | None = None
    plans: Plans | None = None
    pcns: list[Pcn] | None = Field(
        default=None, description="Primary care networks (optional; rules on them apply only "
                                  "when the list is given)")

    model_config = ConfigDict(extra="forbid", populate_by_name=False)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the file format, generated from the models (`ics-rules schema`)."""
    schema = Constitution.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://ics-rules.invalid/schema/ics-constitution-1.json"
    schema["title"] = "ics-constitution/1"
    return schema
