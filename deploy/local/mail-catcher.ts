// A local mail catcher for `make dev`: an SMTP server (npm smtp-server) on 127.0.0.1 that
// keeps every message the notifications service sends as a .eml file, so a developer can read
// what deputies and units would receive. Not for production.
//   MAIL_PORT (1025), MAIL_DIR (.data/mail)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

const port = Number(process.env.MAIL_PORT ?? 1025);
const dir = path.resolve(process.env.MAIL_DIR ?? '.data/mail');
mkdirSync(dir, { recursive: true });
let n = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const to = session.envelope.rcptTo.map((r) => r.address).join(',');
      const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${++n}.eml`);
      writeFileSync(file, Buffer.concat(chunks));
      process.stdout.write(`mail to ${to}: ${file}\n`);
      callback();
    });
  },
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`mail catcher on 127.0.0.1:${port}, saving to ${dir}\n`));
const stop = () => server.close(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
