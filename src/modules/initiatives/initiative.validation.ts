import { z } from "zod";
import { optionalText, text } from "../../shared/validation.js";
import { ScheduleSchema } from "./initiative.schedule.js";

const KINDS = ["ACTIVITY", "MEETING_PLACE", "COURSE", "SERVICE", "PARTICIPATION_PLACE"] as const;

/** A language code such as nl, en, ar, tr, pl (of the audience, or asked for in a search). */
export const language = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z]{2,3}$/, "must be a language code such as nl, en, ar, tr, pl");

const AudienceSchema = z
  .object({
    minAge: z.number().int().min(0, "must be 0-120").max(120, "must be 0-120").nullish(),
    maxAge: z.number().int().min(0, "must be 0-120").max(120, "must be 0-120").nullish(),
    languages: z.array(language).max(20, "at most 20 languages").nullish(),
  })
  .refine((a) => a.minAge == null || a.maxAge == null || a.minAge <= a.maxAge, { message: "must not be below minAge", path: ["maxAge"] });

const capacity = z.number().int().min(1, "must be 1-10000").max(10_000, "must be 1-10000");

/** A new initiative (createInitiative). */
export const CreateSchema = z.object({
  organisationId: z.string().min(1, "must not be empty"),
  kind: z.enum(KINDS),
  title: text(1, 120),
  description: text(1, 4000),
  neighbourhoodId: z.string().min(1, "must not be empty"),
  address: optionalText(300),
  capacity: capacity.nullish(),
  schedule: ScheduleSchema.nullish(),
  audience: AudienceSchema.nullish(),
  accessibility: optionalText(1000),
  categoryIds: z.array(z.string().min(1, "must not be empty")).max(20, "at most 20 categories").nullish(),
  publish: z.boolean().nullish(),
});

/** Changes to an initiative (updateInitiative): omitted fields stay as they are. */
export const UpdateSchema = z.object({
  title: text(1, 120).nullish(),
  description: text(1, 4000).nullish(),
  neighbourhoodId: z.string().min(1, "must not be empty").nullish(),
  address: optionalText(300),
  capacity: capacity.nullish(),
  unlimited: z.boolean().nullish(),
  schedule: ScheduleSchema.nullish(),
  audience: AudienceSchema.nullish(),
  accessibility: optionalText(1000),
  categoryIds: z.array(z.string().min(1, "must not be empty")).max(20, "at most 20 categories").nullish(),
});
