import path from 'node:path';
import type { LabDefinition } from '../labkit/define-lab.ts';

/** What a saved file means for the labs: the labs to verify again, or none when it is not the learner's work. */
export function affectedLabs(file: string, labs: readonly LabDefinition[]): string[] {
  const parts = file.split(path.sep);
  if (parts.some((part) => part === '.git' || part === 'node_modules' || part === '__pycache__' || part === 'reports')) return [];
  const name = path.basename(file);
  if (name.startsWith('.') || name.endsWith('~') || /\.(swp|swx|tmp|pyc)$/.test(name)) return [];
  const withSteps = labs.filter((lab) => lab.steps.length > 0).map((lab) => lab.id);
  // A steps file or compose file changes how everything runs; the labs without steps read the compose file.
  if (name === 'cruddur-labs.json') return labs.map((lab) => lab.id);
  if (/^(docker-)?compose\.ya?ml$/.test(name)) return labs.map((lab) => lab.id);
  // A script named after a step (`bin/ddb/seed`, `seed.py`, the reference's `seed.ts`): the labs that run it.
  const base = name.replace(/\.(py|sh|ts|js|bash)$/, '');
  const byStep = labs.filter((lab) => lab.steps.includes(base)).map((lab) => lab.id);
  if (byStep.length > 0) return byStep;
  // Code the scripts import (lib/db.py), the users' SQL, anything else of the repository: every lab with steps.
  if (/\.(py|sh|sql|ts|js|json|env|cfg|ini|toml|txt)$/.test(name) || !name.includes('.')) return withSteps;
  return [];
}
