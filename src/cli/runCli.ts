/** Runs a command-line entry point: a plain Chinese message and exit code 1 on failure, no stack. */
export function runCli(main: () => Promise<void>): void {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
