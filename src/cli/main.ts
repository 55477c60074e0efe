#!/usr/bin/env node
/**
 * The `kts` command: a table of subcommands, each declared in its own module (server.ts, ...)
 * with flags that parse into a config object. This file only wires them into commander and
 * turns commander's outcomes into exit codes: 0 success or help, 1 failure, 2 invalid usage.
 */
import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { serverCommand } from './server.js';

/** Every subcommand, in the order `kts --help` lists them. Later: agent, token, images, ... */
const SUBCOMMANDS: readonly (() => Command)[] = [serverCommand];

function version(): string {
  // dist/src/cli/main.js → the package root; the same layout when installed from npm.
  const pkg = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? 'unknown';
}

function buildProgram(): Command {
  const program = new Command('kts')
    .description('Kubernetes, written in TypeScript: the real Kubernetes API, real containers, one command.')
    .version(version(), '--version', 'print the version and exit');
  for (const make of SUBCOMMANDS) program.addCommand(make());
  // Settings commander does not pass on to commands added with addCommand: apply to each.
  for (const cmd of [program, ...program.commands]) {
    cmd
      .exitOverride((err: CommanderError) => {
        throw err;
      })
      .showHelpAfterError(`(run '${cmd === program ? 'kts' : `kts ${cmd.name()}`} --help' for usage)`);
  }
  return program;
}

async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    // Commander has printed its message (or the help) already; only the code is left to pick.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
}

process.exit(await main(process.argv.slice(2)));
