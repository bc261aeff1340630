import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { runDemo } from '../../demo/run-demo.js';

/** `sampled-stream demo` (`npm run demo`): the whole pipeline on this machine, no credentials (DESIGN 11). */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'Run the whole pipeline on this machine against the emulator (about two minutes)',
  usage: 'sampled-stream demo [--out DIR]   (default ./demo-output)',
  options: {
    out: { type: 'string', valueName: 'DIR', description: 'folder for everything the demo writes', defaultText: './demo-output' },
  },
  async run(ctx) {
    const outputRoot = resolve(typeof ctx.values.out === 'string' ? ctx.values.out : 'demo-output');
    const layout = await runDemo(outputRoot, ctx.stdout);
    ctx.stdout.write(`Everything is in ${layout.root}: vault, spools, osf-storage, daily-report.eml/.html, logs.\n`);
    return 0;
  },
};
