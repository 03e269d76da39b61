"""Write constitutions/example.docx: the constitution of the fictional NHS Example ICB as a Word
document, stating the same constitution facts as constitutions/example.yaml.

The wording is our own, laid out in the sections of NHS England's model constitution so a
reader can compare it with a real one. The Word file uses automatic numbering (sections and
sub-sections numbered through heading styles, clauses through list numbering) and carries one
tracked change, so `ics-rules check constitutions/example.docx` exercises the whole reader.
System arrangements that a constitution does not state (the partnership, places, digital
plans) stay in the YAML file only. Run: python tools/make_example_docx.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.docwriter import Block, write_docx  # noqa: E402

BLOCKS: list[Block] = [
    ("heading", "Introduction"),
    ("subheading", "Background"),
    ("clause", 3, "This is the constitution of an integrated care board in the fictional county "
                  "of Exampleshire. It is an example for the ics-rules tool and describes no "
                  "real body."),
    ("subheading", "Name"),
    ("clause", 3, 'The name of this integrated care board is NHS Example Integrated Care Board '
                  '("the ICB").'),
    ("subheading", "Area covered by the Integrated Care Board"),
    ("clause", 3, "The area covered by the ICB is the combined area of Exampleshire County "
                  "Council and Sampletown City Council."),
    ("subheading", "Status of this Constitution"),
    ("clause", 3, "The ICB was established on 1 July 2022 by The Integrated Care Boards "
                  "(Establishment) Order 2022, which gave effect to this constitution."),
    ("subheading", "Variation of this Constitution"),
    ("clause", 3, "This constitution may only be varied following an application by the ICB "
                  "to NHS England, and with NHS England's approval."),
    ("clause", 3, "NHS England may also vary the constitution on its own initiative, after "
                  "consulting the ICB."),
    ("clause", 3, "The board may not vary this constitution by itself."),
    ("clause", 3, "This is version 1.2 of the constitution. NHS England approved it on 24 June "
                  "2022 and it took effect on 1 July 2022."),
    ("clause", 3, "The constitution is published on the ICB's website at "
                  "https://example.icb.nhs.uk/constitution."),
    ("subheading", "Related documents"),
    ("clause", 3, "The constitution is supported by the following documents:"),
    ("item", "Standing Orders, which set out how meetings of the board and its committees "
             "are run;"),
    ("item", "the Scheme of Reservation and Delegation, which records the decisions kept by "
             "the board and those it delegates;"),
    ("item", "the Functions and Decisions Map;"),
    ("item", "the Standing Financial Instructions; and"),
    ("item", "the Governance Handbook, which gathers these documents and the terms of "
             "reference of each committee."),

    ("heading", "Composition of the Board of the ICB"),
    ("subheading", "Background"),
    ("clause", 3, "In line with Schedule 1B to the 2006 Act, the board of the ICB consists of:"),
    ("item", "a Chair;"),
    ("item", "a Chief Executive; and"),
    ("item", "at least three Ordinary Members."),
    ("clause", 3, "The board meets as a unitary board and its members are jointly accountable "
                  "for the performance of the ICB's functions."),
    ("clause", 3, "The board reviews its skills, knowledge and experience every year."),
    ("clause", 3, "The Ordinary Members include Partner Members, who are nominated by:"),
    ("item", "the NHS trusts and foundation trusts that provide services in the ICB's area;"),
    ("item", "the providers of primary medical services in the ICB's area; and"),
    ("item", "the local authorities whose areas fall wholly or partly within the ICB's area."),
    ("subheading", "Board Membership"),
    ("clause", 3, "The ICB has three Partner Members in all, one from each of the sectors "
                  "listed at 2.1.3."),
    ("clause", 3, "The board also includes three Executive Members:"),
    ("item", "the Director of Finance;"),
    ("item", "the Medical Director; and"),
    ("item", "the Director of Nursing."),
    ("clause", 3, ["The board also includes ", ("del", "two"), ("ins", "three"),
                   " Non-Executive Members."]),
    ("clause", 3, "The Chair must, when approving the appointment of Ordinary Members, seek to "
                  "ensure that at least one of them has knowledge and experience of services "
                  "for people with mental illness."),
    ("subheading", "Regular Participants and Observers"),
    ("clause", 3, "The Director of Public Health of each local authority may attend board "
                  "meetings as a participant without a vote."),

    ("heading", "Appointments Process for the Board"),
    ("subheading", "Eligibility Criteria for Board Membership"),
    ("clause", 3, "Every member of the board must:"),
    ("item", "meet the fit and proper person test;"),
    ("item", "uphold the Seven Principles of Public Life (the Nolan Principles); and"),
    ("item", "meet the requirements of the role specification for their post."),
    ("subheading", "Disqualification Criteria for Board Membership"),
    ("clause", 3, "None of the following may be a member of the board:"),
    ("item", "a Member of Parliament;"),
    ("item", "a person whose appointment the person appointing them considers could "
             "reasonably be regarded as undermining the independence of the health service "
             "because of that person's involvement with the private healthcare sector or "
             "otherwise;"),
    ("item", "a person who has been convicted of an offence in the five years before the "
             "proposed appointment and sentenced to imprisonment of three months or more;"),
    ("item", "a person subject to a bankruptcy restrictions order or undertaking;"),
    ("item", "a person dismissed, other than for redundancy, by any health service body in "
             "the five years before the proposed appointment."),
    ("subheading", "Chair"),
    ("clause", 3, "The Chair is appointed by NHS England with the approval of the Secretary of "
                  "State."),
    ("clause", 3, "The Chair will be independent and may not hold a role in another health or "
                  "care organisation in the ICB's area."),
    ("subheading", "Chief Executive"),
    ("clause", 3, "The Chief Executive is appointed by the Chair, in accordance with any "
                  "guidance issued by NHS England."),
    ("clause", 3, "The appointment is subject to the approval of NHS England."),
    ("clause", 3, "The Chief Executive must be an employee of the ICB."),
    ("subheading", "Partner Member - NHS trusts and foundation trusts"),
    ("clause", 3, "This member is nominated jointly by the NHS trusts and foundation trusts "
                  "that provide services in the ICB's area."),
    ("clause", 3, "This member has knowledge and experience of services for people with "
                  "mental illness."),
    ("clause", 3, "The member is appointed by the Chief Executive, subject to the approval of "
                  "the Chair."),
    ("subheading", "Partner Member - providers of primary medical services"),
    ("clause", 3, "This member is nominated jointly by the providers of primary medical "
                  "services in the ICB's area."),
    ("clause", 3, "The member is appointed by the Chief Executive, subject to the approval of "
                  "the Chair."),
    ("subheading", "Partner Member - local authorities"),
    ("clause", 3, "This member is nominated jointly by the local authorities whose areas fall "
                  "within the ICB's area."),
    ("clause", 3, "The member is appointed by the Chief Executive, subject to the approval of "
                  "the Chair."),
    ("subheading", "Medical Director"),
    ("clause", 3, "The Medical Director is appointed by the Chief Executive, subject to the "
                  "approval of the Chair."),
    ("clause", 3, "The Medical Director must be an employee of the ICB."),
    ("subheading", "Director of Nursing"),
    ("clause", 3, "The Director of Nursing is appointed by the Chief Executive, subject to the "
                  "approval of the Chair."),
    ("clause", 3, "The Director of Nursing must be an employee of the ICB."),
    ("subheading", "Director of Finance"),
    ("clause", 3, "The Director of Finance is appointed by the Chief Executive, subject to the "
                  "approval of the Chair."),
    ("clause", 3, "The Director of Finance must be an employee of the ICB."),
    ("subheading", "Non-Executive Members"),
    ("clause", 3, "The Non-Executive Members are appointed by the Chair, subject to the "
                  "approval of NHS England."),
    ("clause", 3, "Each Non-Executive Member will be independent and may not hold a role in "
                  "another health or care organisation in the ICB's area."),
    ("clause", 3, "One of the Non-Executive Members, other than the chair of the Audit "
                  "Committee, is designated by the board as Deputy Chair and is also the "
                  "Senior Non-Executive Member."),
    ("subheading", "Removal from Office"),
    ("clause", 3, "The Chair may be removed from office only by NHS England, with the approval "
                  "of the Secretary of State."),
    ("clause", 3, "Other board members may be removed by the person who appointed them, after "
                  "a fair process."),
    ("subheading", "Terms of Appointment"),
    ("clause", 3, "Board members are appointed for a term of office of up to three years and "
                  "may be reappointed."),

    ("heading", "Arrangements for the Exercise of our Functions"),
    ("subheading", "Scheme of Reservation and Delegation"),
    ("clause", 3, "The board has agreed a Scheme of Reservation and Delegation which sets out "
                  "the decisions reserved to the board and those delegated to committees and "
                  "officers."),
    ("subheading", "Committees"),
    ("clause", 3, "The board has established an Audit Committee. It is chaired by a "
                  "Non-Executive Member, other than the Chair, who has qualifications, "
                  "expertise or experience in finance and audit matters."),
    ("clause", 3, "The Audit Committee also acts as the ICB's auditor panel."),
    ("clause", 3, "The board has established a Remuneration Committee, whose role is described "
                  "in section 8."),
    ("table", [["Committee", "Chaired by", "Terms of reference"],
               ["Audit Committee", "a Non-Executive Member", "published"],
               ["Remuneration Committee", "a Non-Executive Member", "published"]]),

    ("heading", "Procedures for Making Decisions"),
    ("subheading", "Standing Orders"),
    ("clause", 3, "The ICB has agreed Standing Orders which describe how its business is "
                  "conducted and how its meetings are run. They form part of this constitution."),
    ("subheading", "Standing Financial Instructions"),
    ("clause", 3, "The ICB has agreed Standing Financial Instructions which set out the limits "
                  "of financial authority."),
    ("subheading", "Quorum"),
    ("clause", 3, "The quorum for board meetings is a majority of members, which must include:"),
    ("item", "at least one Executive Member; and"),
    ("item", "at least one Non-Executive Member."),
    ("clause", 3, "If the Chair is absent, the Deputy Chair presides and the meeting remains "
                  "quorate."),
    ("subheading", "Decision Making"),
    ("clause", 3, "The board will try to reach decisions by consensus. Where it cannot, a "
                  "decision is taken by a majority of the votes of members present, and the "
                  "Chair has a casting vote."),

    ("heading", "Conflicts of Interest"),
    ("subheading", "Policy and registers"),
    ("clause", 3, "The ICB has a conflicts of interest policy, which sets out how conflicts of "
                  "interest are identified and managed."),
    ("clause", 3, "The ICB keeps registers of interests of board members, employees and "
                  "members of its committees and sub-committees, and publishes them on its "
                  "website."),
    ("clause", 3, "Anyone taking part in a meeting must declare any interest relevant to the "
                  "business of the meeting at the start of the meeting or as soon as it "
                  "becomes apparent."),
    ("clause", 3, "The Audit Committee Chair is the ICB's Conflicts of Interest Guardian."),

    ("heading", "Accountability and Transparency"),
    ("subheading", "Meetings and publications"),
    ("clause", 3, "Board meetings will be held in public, except where the board passes a "
                  "resolution to exclude the public because publicity would be prejudicial to "
                  "the public interest."),
    ("clause", 3, "The papers and minutes of meetings held in public will be published."),
    ("clause", 3, "The ICB will publish an annual report, and its annual accounts will be "
                  "audited and published."),

    ("heading", "Terms and Conditions of Employees"),
    ("subheading", "Employees and remuneration"),
    ("clause", 3, "The ICB may appoint employees and decide their terms and conditions, "
                  "including their remuneration and allowances."),
    ("clause", 3, "The Remuneration Committee is chaired by a Non-Executive Member other than "
                  "the Chair or the Audit Committee Chair."),
    ("clause", 3, "No employee of the ICB may be a member of the Remuneration Committee."),

    ("heading", "Arrangements for Public Involvement"),
    ("subheading", "Involving people and communities"),
    ("clause", 3, "Under section 14Z45(2) of the 2006 Act, the ICB has made arrangements to "
                  "involve the people who use its services, and their carers and "
                  "representatives, in:"),
    ("item", "the planning of the commissioning arrangements;"),
    ("item", "the development of proposals for changes in the commissioning arrangements that "
             "would affect how services are delivered; and"),
    ("item", "decisions affecting the operation of the commissioning arrangements."),
    ("clause", 3, "Under section 14Z54 of the 2006 Act, the ICB will consult the public on its "
                  "joint forward plan."),
    ("clause", 3, "The ICB has adopted NHS England's principles for working with people and "
                  "communities, and works with Healthwatch as a key partner."),
]


def main() -> None:
    """Write the example document beside example.yaml."""
    out = ROOT / "constitutions" / "example.docx"
    write_docx(BLOCKS, out, header="NHS Example ICB Constitution, version 1.2",
               footer="Example document for ics-rules; not a real constitution")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
