import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { WaitableList } from './wait.js';

export interface SmtpEnvelope {
  from: string | null;
  to: string[];
}

export interface SmtpSink {
  host: string;
  port: number;
  /** every message received, parsed, in arrival order */
  messages: ParsedMail[];
  /** SMTP envelopes, index-aligned with `messages` (shows BCC recipients the headers do not) */
  envelopes: SmtpEnvelope[];
  waitFor(n: number, timeoutMs: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  port?: number;
  /**
   * Offers AUTH (PLAIN, LOGIN, without TLS) and refuses every attempt with a 535 whose text this returns:
   * a server that echoes the credentials it was sent, for tests that they never reach an error or a log.
   */
  rejectAuth?: (auth: { method: string; username: string; password: string }) => string;
}

/** A real SMTP server on 127.0.0.1 with no auth and no TLS that keeps and parses what it receives. */
export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const list = new WaitableList<ParsedMail>('messages');
  const envelopes: SmtpEnvelope[] = [];
  const { rejectAuth } = opts;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: rejectAuth ? ['STARTTLS'] : ['AUTH', 'STARTTLS'],
    ...(rejectAuth && {
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        const err = Object.assign(
          new Error(
            rejectAuth({ method: auth.method, username: auth.username ?? '', password: auth.password ?? '' }),
          ),
          { responseCode: 535 },
        );
        callback(err);
      },
    }),
    logger: false,
    closeTimeout: 200,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          const from = session.envelope.mailFrom;
          envelopes.push({
            from: from ? from.address : null,
            to: session.envelope.rcptTo.map((r) => r.address),
          });
          list.push(mail);
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    messages: list.items,
    envelopes,
    waitFor: (n, timeoutMs) => list.waitFor(n, timeoutMs),
    close() {
      closing ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return closing;
    },
  };
}
