/**
 * npm run bench -- [options]: plays a stream in Chromium pages and/or node peers with Shoal, and
 * reports origin offload and playback health (result.json, report.html). See --help and
 * bench/README.md.
 */
import { ArgsError, HELP, parseBenchArgs } from './cli/args.js';
import { runBench } from './cli/run-bench.js';

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ArgsError)) throw error;
    process.stderr.write(`bench: ${error.message}\n\nRun with --help for every flag.\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const outcome = await runBench(parsed.args);
  return outcome.exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
