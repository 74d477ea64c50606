import { createHmac } from "node:crypto";
import { inArray } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { PSEUDONYM_PREFIX, type Pseudonymise } from "../../shared/retention.js";
import type { PersonTables } from "./person.tables.js";

/**
 * Pseudonyms for people whose old records are kept for statistics. A pseudonym is a person row with no
 * name, contact details, address, birth date or password; its id is a keyed hash of the person's id, so
 * the same person always gets the same one and nobody without the key can tell whose it is. It keeps
 * what the statistics read of an account: when it was created and whether it is one (an e-mail address
 * on the reserved `.invalid` domain, where no mail is delivered and no login can succeed without a password).
 */
export function personPseudonyms(db: Database<PersonTables>, key: Buffer): Pseudonymise {
  const p = db.tables.people;
  const pseudonymOf = (id: string) => (id.startsWith(PSEUDONYM_PREFIX) ? id : PSEUDONYM_PREFIX + createHmac("sha256", key).update(id).digest("hex").slice(0, 32));
  return async (tx, personIds) => {
    const ids = [...new Set(personIds.filter((id): id is string => id !== null && !id.startsWith(PSEUDONYM_PREFIX)))].sort();
    const out = new Map<string, string>();
    for (const id of personIds) if (id) out.set(id, pseudonymOf(id));
    if (ids.length === 0) return out;
    const originals = await tx.select({ id: p.id, email: p.email, createdAt: p.createdAt }).from(p).where(inArray(p.id, ids));
    const rows = originals
      .map((o) => {
        const id = pseudonymOf(o.id);
        return { id, firstName: "", email: o.email ? `${id}@pseudonym.invalid` : null, createdAt: o.createdAt };
      })
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    // Sorted, so that two instances inserting the same pseudonyms wait for each other rather than deadlock.
    if (rows.length) await tx.insert(p).values(rows).onConflictDoNothing();
    return out;
  };
}
