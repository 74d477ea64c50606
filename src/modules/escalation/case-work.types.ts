import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { Node } from "../../graphql/relay.js";
import { Person } from "../people/person.types.js";
import { Team } from "../places/place.types.js";
import { Escalation } from "./escalation.types.js";

export enum ContactChannel {
  PHONE = "PHONE",
  VISIT = "VISIT",
  MEETING = "MEETING",
  MESSAGE = "MESSAGE",
  EMAIL = "EMAIL",
  VIDEO = "VIDEO",
}
registerEnumType(ContactChannel, {
  name: "ContactChannel",
  description: "How a team was in contact with the person.",
  valuesConfig: {
    PHONE: { description: "A phone call." },
    VISIT: { description: "A home visit." },
    MEETING: { description: "A meeting at the team's office or elsewhere." },
    MESSAGE: { description: "A written message (letter, chat, text)." },
    EMAIL: { description: "An e-mail." },
    VIDEO: { description: "A video call." },
  },
});

export enum CaseNorm {
  ACKNOWLEDGE = "ACKNOWLEDGE",
  FIRST_CONTACT = "FIRST_CONTACT",
  CLOSE = "CLOSE",
}
registerEnumType(CaseNorm, {
  name: "CaseNorm",
  description: "A target a case is held to, per urgency: acknowledging, the first contact moment, closing.",
  valuesConfig: {
    ACKNOWLEDGE: { description: "NEW past its acknowledge-by time (ACKNOWLEDGE_WITHIN_HOURS)." },
    FIRST_CONTACT: { description: "Open, no contact moment yet, past firstContactBy (FIRST_CONTACT_WITHIN_HOURS)." },
    CLOSE: { description: "Open past closeBy (CLOSE_WITHIN_HOURS)." },
  },
});

@ObjectType("CaseNote", {
  implements: Node,
  description: "A team's note or contact moment on a case. Read only by the professionals of the case's lead and co-team; each read is access-logged.",
})
export class CaseNote extends Node {
  @Field(() => Person, { nullable: true, description: "The professional who wrote it." })
  author!: Person | null;
  @Field(() => ContactChannel, { nullable: true, description: "For a contact moment: how (null for a note)." })
  channel!: ContactChannel | null;
  @Field(() => DateTimeISO, { nullable: true, description: "For a contact moment: when it took place." })
  contactAt!: Date | null;
  @Field(() => String, { description: "What happened, or the note." })
  body!: string;
  @Field(() => String, { nullable: true, description: "What was agreed." })
  agreed!: string | null;
  @Field(() => DateTimeISO, { description: "When it was recorded." })
  createdAt!: Date;
}

@ObjectType("CaseDocument", {
  implements: Node,
  description: "A file on a case. Its bytes are fetched with GET /case-documents/<id> and the bearer token of a professional of the case's teams; each download is access-logged.",
})
export class CaseDocument extends Node {
  @Field(() => String, { description: "File name (the extension follows the content)." })
  fileName!: string;
  @Field(() => String, { description: "Media type, recognised from the content." })
  mediaType!: string;
  @Field(() => Int, { description: "Size in bytes." })
  sizeBytes!: number;
  @Field(() => String, { description: "SHA-256 of the content, hex." })
  sha256!: string;
  @Field(() => Person, { nullable: true, description: "Who added it." })
  uploadedBy!: Person | null;
  @Field(() => DateTimeISO, { description: "When it was added." })
  createdAt!: Date;
  @Field(() => String, { description: "Path to download it (relative to the server)." })
  downloadPath!: string;
}

@ObjectType("CaseReroute", { description: "A re-route of a case, with its reason: what the receiving team is told." })
export class CaseReroute {
  @Field(() => Team, { nullable: true, description: "The lead team before." })
  fromLeadTeam!: Team | null;
  @Field(() => Team, { nullable: true, description: "The co-team before." })
  fromCoTeam!: Team | null;
  @Field(() => Team, { nullable: true, description: "The lead team after." })
  toLeadTeam!: Team | null;
  @Field(() => Team, { nullable: true, description: "The co-team after." })
  toCoTeam!: Team | null;
  @Field(() => String, { description: "Why the coordinator re-routed it." })
  reason!: string;
  @Field(() => DateTimeISO, { description: "When." })
  at!: Date;
}

@ObjectType("LinkedCase", { description: "Another open case about the same person: which team has it and since when; the case itself only for whoever may see it." })
export class LinkedCase {
  @Field(() => Team, { nullable: true, description: "The team that leads it." })
  leadTeam!: Team | null;
  @Field(() => Team, { nullable: true, description: "Its co-team, if any." })
  coTeam!: Team | null;
  @Field(() => DateTimeISO, { description: "Since when the person is known there (the case's creation)." })
  since!: Date;
  @Field(() => Escalation, { nullable: true, description: "The case, when you may see it (its own teams, coordinators); null otherwise." })
  escalation!: Escalation | null;
}

@ObjectType("CaseNormCount", { description: "How a team did on one norm." })
export class CaseNormCount {
  @Field(() => Int, { description: "Met in time." })
  met!: number;
  @Field(() => Int, { description: "Done after the deadline (or closed without it after the deadline)." })
  missed!: number;
  @Field(() => Int, { description: "Not done yet and past the deadline." })
  openOverdue!: number;
  @Field(() => Int, { description: "Not done yet, still in time." })
  openInTime!: number;
}

@ObjectType("CaseNormsSummary", { description: "A team's norms over the cases created in a period (as lead or co-team): counts only." })
export class CaseNormsSummary {
  @Field(() => ID, { description: "The team." })
  teamId!: string;
  @Field(() => DateTimeISO, { nullable: true, description: "Start of the period (cases created from then)." })
  from!: Date | null;
  @Field(() => DateTimeISO, { description: "End of the period (exclusive)." })
  to!: Date;
  @Field(() => Int, { description: "Cases in the period." })
  cases!: number;
  @Field(() => CaseNormCount, { description: "First contact moment within its target." })
  firstContact!: CaseNormCount;
  @Field(() => CaseNormCount, { description: "Closed within its target." })
  close!: CaseNormCount;
}

@InputType("AddCaseNoteInput", { description: "A note, or with a channel a contact moment." })
export class AddCaseNoteInput {
  @Field(() => ID, { description: "The case." })
  escalationId!: string;
  @Field(() => String, { description: "What happened, or the note (at most 4000 characters)." })
  body!: string;
  @Field(() => ContactChannel, { nullable: true, description: "For a contact moment: how." })
  channel?: ContactChannel | null;
  @Field(() => DateTimeISO, { nullable: true, description: "For a contact moment: when (default now; not before the case, not in the future)." })
  contactAt?: Date | null;
  @Field(() => String, { nullable: true, description: "What was agreed (at most 2000 characters)." })
  agreed?: string | null;
}
