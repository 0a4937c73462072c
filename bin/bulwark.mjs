#!/usr/bin/env node
// Package entry point: runs the TypeScript CLI through tsx (a runtime dependency).
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
await import(fileURLToPath(new URL('../src/cli.ts', import.meta.url)));
