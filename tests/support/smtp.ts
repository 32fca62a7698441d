// A real SMTP server for tests (smtp-server on 127.0.0.1, any free port, no TLS, no login) that
// keeps every message it accepts and decodes enough of it to assert on: the RFC 2047 subject
// and a base64 or quoted-printable text body. It can refuse recipients to play a failing server.
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  /** Envelope recipients (RCPT TO). */
  to: string[];
  from: string;
  raw: string;
  headers: Record<string, string>;
  subject: string;
  text: string;
}

export interface TestSmtp {
  port: number;
  messages: ReceivedMail[];
  /** Recipients refused with a temporary error (451) while listed. */
  refuse: Set<string>;
  /** Recipient addresses refused so far, one entry per refusal. */
  refused: string[];
  to(address: string): ReceivedMail[];
  close(): Promise<void>;
}

/** Decodes RFC 2047 encoded words (=?UTF-8?B?...?= and =?UTF-8?Q?...?=); adjacent words join. */
export function decodeMimeWords(value: string): string {
  const word = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  // Whitespace between two encoded words is not part of the text.
  const joined = value.replace(/(\?=)\s+(?==\?)/g, '$1');
  let out = '';
  let last = 0;
  let pending: Buffer[] = [];
  const flush = () => {
    if (pending.length) out += Buffer.concat(pending).toString('utf8');
    pending = [];
  };
  for (const m of joined.matchAll(word)) {
    if (m.index! > last) {
      flush();
      out += joined.slice(last, m.index);
    }
    const [, , enc, data] = m;
    if (enc.toUpperCase() === 'B') pending.push(Buffer.from(data, 'base64'));
    else
      pending.push(
        Buffer.from(
          data
            .replace(/_/g, ' ')
            .replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ),
      );
    last = m.index! + m[0].length;
  }
  flush();
  return out + joined.slice(last);
}

export function parseMail(raw: string): Omit<ReceivedMail, 'to' | 'from' | 'raw'> {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] ??= line.slice(i + 1).trim();
  }
  const cte = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  let text: string;
  if (cte === 'base64') text = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  else if (cte === 'quoted-printable')
    text = Buffer.from(
      body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  else text = body;
  return { headers, subject: decodeMimeWords(headers.subject ?? ''), text: text.replace(/\r\n/g, '\n') };
}

export async function startTestSmtp(): Promise<TestSmtp> {
  const messages: ReceivedMail[] = [];
  const refuse = new Set<string>();
  const refused: string[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      if (refuse.has(address.address.toLowerCase())) {
        refused.push(address.address);
        const err = Object.assign(new Error(`mailbox ${address.address} temporarily unavailable`), {
          responseCode: 451,
        });
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({
          to: session.envelope.rcptTo.map((a) => a.address.toLowerCase()),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          raw,
          ...parseMail(raw),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address() as AddressInfo).port;
  return {
    port,
    messages,
    refuse,
    refused,
    to: (address) => messages.filter((m) => m.to.includes(address.toLowerCase())),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
