import type { Command } from '../command.js';
import { loadSettings } from '../../config/index.js';
import { collectStatus, formatStatus } from '../../health/status.js';

export const statusCommand: Command = {
  name: 'status',
  summary: 'Show the health of this server (exit 0 whenever the settings could be read)',
  usage: 'sampled-stream status [--json] [--config FILE]',
  options: { json: { type: 'boolean', description: 'print the status as JSON ("ok", "reasons" and the figures)' } },
  async run(ctx) {
    const settings = await loadSettings(ctx.configPath, 'any');
    const report = await collectStatus(settings, Date.now());
    ctx.stdout.write(ctx.values.json ? JSON.stringify(report, null, 2) + '\n' : formatStatus(report));
    return 0;
  },
};
