import { generate } from 'selfsigned';

export interface KeyPair {
  key: string;
  cert: string;
}

export interface SimulatorCerts {
  ca: string;
  valid: KeyPair;
  expired: KeyPair;
  wrongHost: KeyPair;
}

const DAY = 86_400_000;
let cached: Promise<SimulatorCerts> | undefined;

/** Generated once per process (EC keys, in memory): a CA plus three leaves signed by it. */
export function simulatorCerts(): Promise<SimulatorCerts> {
  cached ??= generateCerts(Date.now()).catch((err: unknown) => {
    cached = undefined;
    throw err;
  });
  return cached;
}

async function generateCerts(now: number): Promise<SimulatorCerts> {
  const ca = await generate([{ name: 'commonName', value: 'Vigil Simulator CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - DAY),
    notAfterDate: new Date(now + 3650 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const leaf = async (host: string, fromMs: number, toMs: number): Promise<KeyPair> => {
    const altNames =
      host === 'localhost'
        ? [
            { type: 2 as const, value: 'localhost' },
            { type: 7 as const, ip: '127.0.0.1' },
          ]
        : [{ type: 2 as const, value: host }];
    const pems = await generate([{ name: 'commonName', value: host }], {
      keyType: 'ec',
      algorithm: 'sha256',
      notBeforeDate: new Date(fromMs),
      notAfterDate: new Date(toMs),
      ca: { key: ca.private, cert: ca.cert },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames },
      ],
    });
    return { key: pems.private, cert: pems.cert };
  };
  const [valid, expired, wrongHost] = await Promise.all([
    leaf('localhost', now - DAY, now + 365 * DAY),
    leaf('localhost', now - 90 * DAY, now - DAY),
    leaf('wrong-host.invalid', now - DAY, now + 365 * DAY),
  ]);
  return { ca: ca.cert, valid, expired, wrongHost };
}
