#!/usr/bin/env node
// The `ota` command: runs the TypeScript CLI (cli/main.ts) through tsx, installed with the project.
import { register } from 'tsx/esm/api';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
register();
await import('../cli/main.ts');
