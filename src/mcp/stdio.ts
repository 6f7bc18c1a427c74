/**
 * `resync mcp` over stdio: the MCP server on this process's stdin/stdout, for assistants that
 * spawn it. stdout carries only protocol messages, so anything a library prints goes to stderr.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { LipsyncBackend } from './backend.js';
import { createMcpServer } from './server.js';

export async function serveStdio(backend: LipsyncBackend): Promise<void> {
  const toStderr = (...a: unknown[]): void => {
    process.stderr.write(a.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' ') + '\n');
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;

  const server = createMcpServer(backend);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  await closed;
  await server.close().catch(() => undefined);
}
