#!/usr/bin/env node
// Entry point for `npx ai-daily`: runs the TypeScript sources through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Exit explicitly: keep-alive sockets of the HTTP client must not hold a finished run open.
process.exit(code);
