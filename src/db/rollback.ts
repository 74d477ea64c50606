/**
 * Leaves a transaction with an outcome instead of a failure: a repository throws `new Rollback(x)`
 * inside `db.transaction(...)` when a conditional write found the world changed, so nothing of the
 * unit is kept, and `outcomeOf` turns it back into `x` for the service to decide on.
 */
export class Rollback<T> extends Error {
  constructor(readonly outcome: T) {
    super("rollback");
    this.name = "Rollback";
  }
}

/** Runs a unit of work; a Rollback thrown inside becomes its outcome, any other error stays an error. */
export async function outcomeOf<T, O>(unit: () => Promise<T>): Promise<T | O> {
  try {
    return await unit();
  } catch (err) {
    if (err instanceof Rollback) return err.outcome as O;
    throw err;
  }
}
