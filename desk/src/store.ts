import type { Doc } from "./api";

/** A document handed to the next "new" form (an amendment, a duplicate). */
export const pending: { doc: Doc | null } = { doc: null };
