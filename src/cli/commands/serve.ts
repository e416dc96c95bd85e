/**
 * `vigal serve`: the nano model behind an OpenAI-compatible HTTP API (src/server/), so that any OpenAI
 * client, the app's "OpenAI-compatible server" player and `vigal eval --policy openai:...` can use it.
 * Prints one JSON line on stdout once listening ({"url", "model", ...}: scripts and tests read it), a
 * line per request on stderr, and stops cleanly on SIGINT / SIGTERM.
 */
import type { Command } from 'commander';
import { loadNanoModel } from '../../runtime/model';
import { DEFAULT_ALLOWED_ORIGINS, DEFAULT_MAX_BODY_BYTES, startServer } from '../../server/server';
import { UsageError, parseIntOption, quoted } from '../io';
import { nanoFolder } from '../policies';

/** The server's key may come from here instead of --api-key (argv is visible to every user in `ps`). */
export const SERVE_KEY_ENV = 'VIGAL_SERVE_API_KEY';

interface ServeArgs {
  model: string;
  host: string;
  port: string;
  servedModelName?: string;
  apiKey?: string;
  allowOrigin?: string[];
  maxBodyMb: string;
  threads: string;
  quant: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the nano model over an OpenAI-compatible HTTP API (/v1/models, /v1/chat/completions)')
    .option('--model <m>', 'nano (the default checkpoint) or nano:PATH (a model folder or a name under models/)', 'nano')
    .option('--host <h>', 'address to bind; 127.0.0.1 keeps it on this machine', '127.0.0.1')
    .option('--port <p>', 'port (0 picks a free one)', '8000')
    .option('--served-model-name <name>', "model id clients use (default: the model's config name)")
    .option('--api-key <key>', `require this key as "Authorization: Bearer <key>" (or set ${SERVE_KEY_ENV}, which other users cannot see in ps)`)
    .option(
      '--allow-origin <origins...>',
      `browser origins allowed to call the server: exact, scheme://host:* or * (default ${DEFAULT_ALLOWED_ORIGINS.slice(0, 3).join(', ')} and https)`,
    )
    .option('--max-body-mb <mb>', 'largest request body in MiB', String(DEFAULT_MAX_BODY_BYTES / 1048576))
    .option('--threads <n>', 'ONNX Runtime WASM threads', '1')
    .option('--quant <q>', "fp32 (the trainer's numbers) or q4 (4-bit MatMulNBits)", 'fp32')
    .action(async (args: ServeArgs) => {
      const port = parseIntOption('--port', args.port, 0, 65535);
      const maxBodyMb = parseIntOption('--max-body-mb', args.maxBodyMb, 1, 1024);
      const threads = parseIntOption('--threads', args.threads, 1, 64);
      if (args.quant !== 'fp32' && args.quant !== 'q4') throw new UsageError(`--quant must be fp32 or q4, got ${quoted(args.quant)}`);
      const origins = (args.allowOrigin ?? [])
        .flatMap((o) => o.split(','))
        .map((o) => o.trim().replace(/\/+$/, ''))
        .filter(Boolean);
      for (const o of origins) {
        if (o !== '*' && !/^https?:\/\/[^/\s]+$/.test(o))
          throw new UsageError(`--allow-origin '${o}' is not an origin; write it like http://127.0.0.1:4173, http://localhost:* or *`);
      }
      const apiKey = args.apiKey ?? (process.env[SERVE_KEY_ENV] || undefined);
      const folder = nanoFolder(args.model);

      const model = await loadNanoModel(folder, {
        executionProviders: ['wasm'],
        quant: args.quant,
        numThreads: threads,
        log: (m) => process.stderr.write(`vigal serve: ${m}\n`),
      });
      const server = await startServer({
        model,
        host: args.host,
        port,
        servedModelName: args.servedModelName,
        apiKey,
        allowOrigins: origins.length ? origins : undefined,
        maxBodyBytes: maxBodyMb * 1048576,
      }).catch(async (e: Error) => {
        await model.dispose();
        throw new UsageError(e.message);
      });
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.stderr.write(`vigal serve: ${signal}, shutting down\n`);
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server
            .close()
            .then(() => model.dispose())
            .then(resolve);
        };
        // Handlers first, then the "listening" line: a client that reads the line and at once sends
        // SIGTERM must find them in place (on Linux a pipe write can reach the reader before the next line runs).
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
        process.stderr.write(
          `vigal serve: ${server.modelId} (${model.describe()}) at ${server.url}` +
            `${apiKey ? ', API key required' : ''}; Ctrl-C stops\n` +
            (LOOPBACK.has(args.host) || apiKey
              ? ''
              : `vigal serve: warning: listening on ${args.host} without an API key: anyone who can reach this address can use the model\n`),
        );
        process.stdout.write(JSON.stringify({ url: server.url, model: server.modelId, host: args.host, port: server.port, auth: !!apiKey }) + '\n');
      });
    });
}
