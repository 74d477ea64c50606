import { Field, ID, InputType } from "type-graphql";
import { Urgency } from "../help-requests/help-request.type.js";
import { FlagReason } from "./escalation.types.js";

@InputType("ProfessionalHelpInput", {
  description: "Ask a professional team directly: about a help request of yours, a care circle, yourself, or someone you asked help for before.",
})
export class ProfessionalHelpInput {
  @Field(() => FlagReason, { description: "What is going on." })
  reason!: FlagReason;
  @Field(() => String, { nullable: true, description: "In your words." })
  note?: string | null;
  @Field(() => Urgency, { nullable: true, description: "How soon (default NORMAL)." })
  urgency?: Urgency | null;
  @Field(() => ID, { nullable: true, description: "A help request you asked." })
  helpRequestId?: string | null;
  @Field(() => ID, { nullable: true, description: "A care circle you are a member of (about its care receiver)." })
  circleId?: string | null;
  @Field(() => ID, { nullable: true, description: "Someone you asked help for before (default: yourself)." })
  personId?: string | null;
}
