/**
 * The benchmark's server process: `buildServer` (the same server `cairn serve` runs) over a data
 * dir, listening the same way, with the store's keys handed over in hex on stdin (the benchmark
 * needs no Secret Service).
 * Prints "listening <url>" when ready; exits on SIGTERM.
 */
import { openDatabase } from '../../src-main/db/connection.js';
import { Core } from '../../src-main/core/core.js';
import { buildServer } from '../../src-main/http/server.js';
import { listenWide } from '../../src-main/http/wide-accept.js';

const [dataDir, port] = process.argv.slice(2);
const input = await new Promise<string>((resolve) => {
  let text = '';
  process.stdin.on('data', (c) => (text += c)).on('end', () => resolve(text));
});
const hex = JSON.parse(input) as Record<string, string>;
const key = (name: string) => Buffer.from(hex[name]!, 'hex');
const keys = { totpEncryption: key('totpEncryption'), apiKeyPepper: key('apiKeyPepper'), auditChain: key('auditChain'), subscriberLinks: key('subscriberLinks') };
const core = new Core({ db: openDatabase(dataDir!), keys: () => Promise.resolve(keys) });
await core.loadAuditKey();
const unlimited = { burst: 1e9, perSecond: 1e9 };
const app = buildServer({ core, apiLimits: { perIp: unlimited, perKey: unlimited, failedKeysPerIp: unlimited } });
// CAIRN_ACCEPT_COPIES compares with other numbers of accepting handles (0: one, as a plain server).
const copies = process.env.CAIRN_ACCEPT_COPIES === undefined ? undefined : Number(process.env.CAIRN_ACCEPT_COPIES);
const listening = await listenWide(app, { host: '127.0.0.1', port: Number(port ?? 0) }, (line) => process.stderr.write(`${line}\n`), copies);
process.stdout.write(`listening ${listening.url}\n`);
process.on('SIGTERM', () => void listening.close().then(() => process.exit(0)));
