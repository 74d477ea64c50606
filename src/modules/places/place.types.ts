import { Field, Float, ID, ObjectType, registerEnumType } from "type-graphql";
import { Node } from "../../graphql/relay.js";

export enum TeamKind {
  SOCIAL_TEAM = "SOCIAL_TEAM",
  YOUTH_TEAM = "YOUTH_TEAM",
}
registerEnumType(TeamKind, {
  name: "TeamKind",
  description: "Kind of professional team.",
  valuesConfig: {
    SOCIAL_TEAM: { description: "Sociaal wijkteam: adults and households." },
    YOUTH_TEAM: { description: "Jeugdteam: children, youths and families." },
  },
});

@ObjectType("Area", { implements: Node, description: "An area of a municipality (gebied), served by its own teams." })
export class Area extends Node {
  @Field(() => String, { description: "Municipality (gemeente), e.g. Dordrecht." })
  municipality!: string;
  @Field(() => String, { description: "Name of the area, e.g. West." })
  name!: string;
}

@ObjectType("Neighbourhood", {
  implements: Node,
  simpleResolvers: true,
  description: "A neighbourhood (wijk): the unit of locality, matching and statistics.",
})
export class Neighbourhood extends Node {
  @Field(() => String, { description: "Name of the neighbourhood, e.g. Krispijn." })
  name!: string;
  @Field(() => Float, { description: "Latitude of the neighbourhood's centroid (WGS84)." })
  latitude!: number;
  @Field(() => Float, { description: "Longitude of the neighbourhood's centroid (WGS84)." })
  longitude!: number;
  @Field(() => String, {
    nullable: true,
    description:
      "Official code of this place in the CBS Wijk- en buurtkaart: a wijk code (WK + four-digit gemeente code + two-digit wijk, e.g. WK050509 for Sterrenburg, Dordrecht) or a buurt code (BU + gemeente + wijk + buurt). Lets the figures be joined with CBS Kerncijfers wijken en buurten. Null when no code is known or the neighbourhood matches no single CBS wijk or buurt.",
  })
  cbsCode?: string | null;
  areaId!: string;
}

@ObjectType("HelpCategory", { implements: Node, simpleResolvers: true, description: "A kind of help that can be asked (hulpcategorie)." })
export class HelpCategory extends Node {
  @Field(() => String, { description: "Stable code, e.g. GROCERIES." })
  code!: string;
  @Field(() => String, { description: "Name in English." })
  name!: string;
  @Field(() => String, { description: "Name in Dutch." })
  nameNl!: string;
  @Field(() => String, { description: "What falls under this category." })
  description!: string;
  @Field(() => Boolean, {
    description: "Whether requests asked in this category need a volunteer with a verified VOG (set by a coordinator; helping a minor always needs one).",
  })
  vogRequired!: boolean;
}

@ObjectType("Team", {
  implements: Node,
  description: "A professional team of an area: sociaal wijkteam (SWT) or jeugdteam (JT).",
})
export class Team extends Node {
  @Field(() => TeamKind, { description: "Social team or youth team." })
  kind!: TeamKind;
  @Field(() => String, { description: "Name of the team." })
  name!: string;
  areaId!: string;
}

export { ID };
