#!/usr/bin/env node
// The `vigal` command. The CLI is TypeScript (the same modules the app uses); tsx compiles it on load.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
