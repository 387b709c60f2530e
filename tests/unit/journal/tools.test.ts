import { describe, expect, it } from 'vitest';
import { WEEK05_JOURNAL } from '../../../labs/week-05/journal.ts';
import { renderJournal, type WeekJournal } from '../../../src/journal/index.ts';
import { runResults, taskResult } from '../../fixtures/results.ts';

const GRAFANA = { command: 'grafana-server --homepath /usr/share/grafana', version: '11.2.0', url: 'http://127.0.0.1:3000/', log: 'HTTP Server Listen' };
const WEEK: WeekJournal = { name: 'week09', title: 'Week 09 journal: metrics', assetsDir: 'assets', tools: { dashboards: 'Grafana' } };

describe("the tools a week's labs start, as the manifest names them", () => {
  const results = runResults([taskResult('01-metrics/1', { evidence: { dashboards: GRAFANA } })]);

  it('shows the tool with its command and log under its task, and its version among the environment', () => {
    const md = renderJournal(results, { journal: WEEK });
    expect(md).toContain('**Grafana** 11.2.0 at `http://127.0.0.1:3000/`, started with:');
    expect(md).toContain('$ grafana-server --homepath /usr/share/grafana\nHTTP Server Listen');
    expect(md).toMatch(/\| Grafana \| 11\.2\.0 \|/);
  });

  it('names nothing the manifest does not: the evidence is shown as plain data', () => {
    const md = renderJournal(results, { journal: { ...WEEK, tools: {} } });
    expect(md).not.toContain('Grafana');
    expect(md).toContain('**dashboards**');
  });

  it("week 05 names DynamoDB Admin, which lab 06 records as adminUi", () => {
    expect(WEEK05_JOURNAL.tools).toEqual({ adminUi: 'DynamoDB Admin' });
  });
});
