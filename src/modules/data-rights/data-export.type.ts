import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";

export enum DataExportStatus {
  RUNNING = "RUNNING",
  READY = "READY",
  FAILED = "FAILED",
  EXPIRED = "EXPIRED",
}
registerEnumType(DataExportStatus, {
  name: "DataExportStatus",
  description: "Where an export of personal data stands.",
  valuesConfig: {
    RUNNING: { description: "Being made; ask again in a moment." },
    READY: { description: "Made: `downloadUrl` fetches the file." },
    FAILED: { description: "Could not be made (nothing was kept); ask for a new export." },
    EXPIRED: { description: "Its file is no longer kept (after DATA_EXPORT_KEEP_HOURS, or replaced by a newer export)." },
  },
});

@ObjectType("DataExport", {
  description:
    "An export of everything Zorgzaam holds about one person (GDPR art. 15 and 20), as a JSON file described in docs/data-export.md. Seen by that person and by the coordinator who asked for it on their behalf.",
})
export class DataExport {
  @Field(() => ID, { description: "Id of the export." })
  id!: string;
  @Field(() => DataExportStatus, { description: "Where the export stands." })
  status!: DataExportStatus;
  @Field(() => ID, { description: "Whose data it holds." })
  subjectId!: string;
  @Field(() => Boolean, { description: "True when a coordinator asked for it on the person's behalf." })
  onBehalf!: boolean;
  @Field(() => String, { nullable: true, description: "Why a coordinator asked for it (the person's request at a desk); null when the person asked." })
  basis!: string | null;
  @Field(() => DateTimeISO, { description: "When it was asked for." })
  requestedAt!: Date;
  @Field(() => DateTimeISO, { nullable: true, description: "When it was made (or failed)." })
  finishedAt!: Date | null;
  @Field(() => Int, { nullable: true, description: "Size of the JSON file in bytes, once made." })
  sizeBytes!: number | null;
  @Field(() => Int, { description: "Version of the file's format (docs/data-export.md)." })
  formatVersion!: number;
  @Field(() => String, {
    nullable: true,
    description: "Path (on this server) that downloads the file, signed for you and valid until `downloadUrlExpiresAt`; null unless READY. Read the export again for a fresh link.",
  })
  downloadUrl!: string | null;
  @Field(() => DateTimeISO, { nullable: true, description: "When `downloadUrl` stops working." })
  downloadUrlExpiresAt!: Date | null;
}
