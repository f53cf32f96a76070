// Both database projects name this teardown: the first call stops the embedded database.
export default async function globalTeardown(): Promise<void> {
  const state = globalThis as { __embeddedDb?: { stop(): Promise<void> } };
  const embedded = state.__embeddedDb;
  delete state.__embeddedDb;
  await embedded?.stop();
}
