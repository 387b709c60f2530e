import { describe, expect, it } from 'vitest';
import { announceNodeSupport, nodeSupportNote, silenceSdkNodeWarning } from '../../src/config/node-support.ts';

describe('the Node version the AWS SDK asks for', () => {
  it('speaks up on Node 20 only', () => {
    expect(nodeSupportNote('20.20.2')).toMatch(/^Node 20\.20\.2: AWS SDK releases after January 2027 need Node 22 or newer\..*upgrade Node/);
    expect(nodeSupportNote('22.12.0')).toBeUndefined();
    expect(nodeSupportNote('24.21.0')).toBeUndefined();
  });

  it('says it once per command and silences the SDK in the processes that follow', () => {
    const env: NodeJS.ProcessEnv = {};
    const lines: string[] = [];
    announceNodeSupport(env, (line) => lines.push(line));
    announceNodeSupport(env, (line) => lines.push(line));
    expect(env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
    expect(lines).toHaveLength(nodeSupportNote() ? 1 : 0);
    if (nodeSupportNote()) expect(env.LAB_NODE_NOTE_SHOWN).toBe('1');
  });

  it('leaves an explicit choice about the SDK warning alone', () => {
    const env: NodeJS.ProcessEnv = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' };
    silenceSdkNodeWarning(env);
    expect(env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('false');
  });
});
