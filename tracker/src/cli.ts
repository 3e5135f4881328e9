/**
 * shoal-tracker command line: options from --flags, SHOAL_TRACKER_* env vars and a JSON config
 * file (--config), validated with errors that name the field; graceful stop on SIGTERM/SIGINT.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { envName, FIELD_NAMES, FIELDS, flagName, type FieldName, type FieldSpec } from './config/fields.js';
import { ConfigError, resolveConfig, type ConfigSources } from './config/resolve.js';
import { createLogger } from './logger.js';
import { startTracker } from './server.js';
import { describeStartError } from './start-errors.js';

function defaultText(spec: FieldSpec): string {
  if (spec.kind === 'list') return spec.def.length ? spec.def.join(',') : '(none)';
  if (spec.kind === 'string') return spec.def === '' ? '(none)' : spec.def;
  return String(spec.def);
}

export function helpText(): string {
  const lines = [
    'Usage: shoal-tracker [options]',
    '',
    "Shoal's tracker: WebTorrent-compatible WebSocket tracker, stats ingestion (POST /stats),",
    'Prometheus metrics (/metrics), /health, JSON stats (/api/stats) and a dashboard (/), on one port.',
    '',
    'Options (each also settable as an env var, or as a key in the --config JSON file;',
    'precedence: flag > env > file > default):',
    '',
    '  --config <path>          JSON config file with any of the keys below (env SHOAL_TRACKER_CONFIG)',
    '  --help                   Show this help',
    '',
  ];
  for (const name of FIELD_NAMES) {
    const spec: FieldSpec = FIELDS[name];
    const value =
      spec.kind === 'bool'
        ? '[true|false]'
        : spec.kind === 'list'
          ? '<a,b,...>'
          : spec.kind === 'int' || spec.kind === 'number'
            ? '<n>'
            : '<value>';
    lines.push(`  --${flagName(name)} ${value}`);
    lines.push(`      ${spec.help}`);
    const range =
      spec.kind === 'int' || spec.kind === 'number'
        ? `, ${spec.min}..${spec.max}`
        : spec.kind === 'enum'
          ? `, one of ${spec.values.join('|')}`
          : '';
    lines.push(`      default ${defaultText(spec)}${range}; env ${envName(name)}; config key "${name}"`);
  }
  return lines.join('\n') + '\n';
}

export interface CliInput {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Parses argv/env/config file into config sources. Throws ConfigError on bad input. */
export function cliSources(input: CliInput): { help: boolean; sources: ConfigSources } {
  const options: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' }, config: { type: 'string' } };
  for (const name of FIELD_NAMES) {
    options[flagName(name)] = { type: FIELDS[name].kind === 'bool' ? 'boolean' : 'string' };
    if (FIELDS[name].kind === 'bool') options[`no-${flagName(name)}`] = { type: 'boolean' };
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...input.argv], options, strict: true, allowPositionals: false }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch (err) {
    throw new ConfigError('(arguments)', err instanceof Error ? err.message : String(err));
  }
  if (values.help === true) return { help: true, sources: {} };
  const cli: Partial<Record<FieldName, string>> = {};
  for (const name of FIELD_NAMES) {
    const v = values[flagName(name)];
    if (typeof v === 'string') cli[name] = v;
    else if (v === true) cli[name] = 'true';
    if (values[`no-${flagName(name)}`] === true) cli[name] = 'false';
  }
  const configPath = typeof values.config === 'string' ? values.config : input.env.SHOAL_TRACKER_CONFIG;
  let file: ConfigSources['file'];
  if (configPath !== undefined && configPath !== '') {
    let text: string;
    try {
      text = readFileSync(configPath, 'utf8');
    } catch (err) {
      throw new ConfigError('(config file)', `cannot read ${configPath}: ${err instanceof Error ? err.message : String(err)}`);
    }
    try {
      file = { path: configPath, value: JSON.parse(text) as unknown };
    } catch (err) {
      throw new ConfigError('(config file)', `${configPath} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { help: false, sources: { env: input.env, cli, file } };
}

export async function main(argv: readonly string[] = process.argv.slice(2), env = process.env): Promise<void> {
  let config;
  try {
    const parsed = cliSources({ argv, env });
    if (parsed.help) {
      process.stdout.write(helpText());
      return;
    }
    config = resolveConfig(parsed.sources);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`shoal-tracker: ${err.message}\nRun shoal-tracker --help for the list of options.\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  let tracker;
  try {
    tracker = await startTracker({ ...config, logger: log });
  } catch (err) {
    const message = describeStartError(err, config);
    if (message === undefined) throw err;
    process.stderr.write(`shoal-tracker: ${message}\n`);
    process.exitCode = 1;
    return;
  }
  log.info({ wsUrl: tracker.wsUrl, httpUrl: tracker.httpUrl }, 'ready');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal, exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'stopping');
    tracker.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
