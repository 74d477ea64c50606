import type { Database } from "../../db/client.js";
import type { CareTables } from "./care.tables.js";
import { CareCircleRepository } from "./care-circle.repository.js";
import { CareGapsRepository } from "./care-gaps.repository.js";
import { CareLoadRepository } from "./care-load.repository.js";
import { CareMessageRepository } from "./care-message.repository.js";
import { CareRunningRepository } from "./care-running.repository.js";
import { CareScheduleRepository } from "./care-schedule.repository.js";
import { CareTaskRepository } from "./care-task.repository.js";

/**
 * The care module's repositories over one database, one per part (see CareService). SQL only: the
 * rules and the events are the services'.
 */
export class CareRepository {
  readonly circles: CareCircleRepository;
  readonly tasks: CareTaskRepository;
  readonly schedule: CareScheduleRepository;
  readonly gaps: CareGapsRepository;
  readonly load: CareLoadRepository;
  readonly running: CareRunningRepository;
  readonly messages: CareMessageRepository;

  constructor(db: Database<CareTables>) {
    this.circles = new CareCircleRepository(db);
    this.tasks = new CareTaskRepository(db);
    this.schedule = new CareScheduleRepository(db);
    this.gaps = new CareGapsRepository(db);
    this.load = new CareLoadRepository(db);
    this.running = new CareRunningRepository(db);
    this.messages = new CareMessageRepository(db);
  }
}
