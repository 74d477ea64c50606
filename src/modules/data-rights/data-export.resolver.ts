import { Arg, Ctx, Extensions, ID, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import type { Viewer } from "../../shared/viewer.js";
import type { DataExportRow } from "./data-export.repository.js";
import { DATA_EXPORT_FORMAT_VERSION, type DataExportService } from "./data-export.service.js";
import { DataExport, type DataExportStatus } from "./data-export.type.js";

@Resolver(() => DataExport)
export class DataExportResolver {
  constructor(private readonly exports: DataExportService) {}

  @Mutation(() => DataExport, {
    description: "Asks for a file of everything Zorgzaam holds about you (GDPR art. 15 and 20). One export runs at a time: while one runs, this answers that one.",
  })
  async requestDataExport(@Ctx() ctx: Context): Promise<DataExport> {
    return this.view(ctx.viewer, await this.exports.request(ctx.viewer));
  }

  @Mutation(() => DataExport, {
    description: "Coordinator: exports someone else's data on their request (e.g. a person without an account at a desk). Recorded in the person's access log with the basis.",
  })
  async requestDataExportFor(
    @Ctx() ctx: Context,
    @Arg("personId", () => ID, { description: "Whose data to export." }) personId: string,
    @Arg("basis", () => String, { description: "Why: who asked, where and when (3-500 characters); written to the access log." }) basis: string,
  ): Promise<DataExport> {
    return this.view(ctx.viewer, await this.exports.requestFor(ctx.viewer, personId, basis));
  }

  @Query(() => DataExport, { description: "One of your exports, or one you asked for on someone's behalf (NOT_FOUND otherwise). Each read gives a fresh download link." })
  async dataExport(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "Id of the export." }) id: string): Promise<DataExport> {
    return this.view(ctx.viewer, await this.exports.find(ctx.viewer, id));
  }

  @Extensions({ maxItems: 20 })
  @Query(() => [DataExport], { description: "Your exports and those you asked for on others' behalf, newest first (the last 20)." })
  async myDataExports(@Ctx() ctx: Context): Promise<DataExport[]> {
    return (await this.exports.mine(ctx.viewer)).map((r) => this.view(ctx.viewer, r));
  }

  private view(viewer: Viewer, r: DataExportRow): DataExport {
    const link = this.exports.downloadLink(viewer, r);
    return {
      id: r.id,
      status: r.status as DataExportStatus,
      subjectId: r.subjectId,
      onBehalf: r.subjectId !== r.requestedById,
      basis: r.basis,
      requestedAt: r.createdAt,
      finishedAt: r.finishedAt,
      sizeBytes: r.sizeBytes,
      formatVersion: DATA_EXPORT_FORMAT_VERSION,
      downloadUrl: link?.url ?? null,
      downloadUrlExpiresAt: link?.expiresAt ?? null,
    };
  }
}
