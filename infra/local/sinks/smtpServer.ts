// A minimal SMTP server (RFC 5321 subset: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) on loopback, so
// Alertmanager's email_configs really deliver locally. No TLS, no AUTH: it is only ever bound to 127.0.0.1.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { statusOfTitle, type DeliveryLog } from './deliveries';

const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

export interface SmtpSink {
  server: Server;
  port: number;
  /** host:port, Alertmanager's smarthost. */
  smarthost: string;
  close(): Promise<void>;
}

export interface ParsedMessage {
  headers: Record<string, string>;
  body: string;
}

/** Headers (unfolded, lower-case names; RFC 2047 words left as sent) and body of an RFC 5322 message. */
export function parseMessage(raw: string): ParsedMessage {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

/** Decodes `=?UTF-8?q?...?=` / `=?UTF-8?b?...?=` words, which Go's mime package uses for non-ASCII subjects. */
export function decodeHeader(value: string): string {
  return value.replace(/=\?([^?]+)\?([qQbB])\?([^?]*)\?=/g, (_w, _charset: string, enc: string, text: string) => {
    if (enc.toLowerCase() === 'b') return Buffer.from(text, 'base64').toString('utf8');
    const bytes = text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }).replace(/\?=\s+=\?/g, '');
}

function session(socket: Socket, log: DeliveryLog): void {
  let buffer = '';
  let inData = false;
  let recipients: string[] = [];
  let from: string | undefined;
  const send = (line: string) => socket.write(`${line}\r\n`);
  socket.setEncoding('utf8');
  socket.setTimeout(60_000, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  send('220 localhost ESMTP local-sink ready');

  const command = (line: string) => {
    const verb = line.slice(0, 4).toUpperCase();
    if (verb === 'EHLO') return send('250-localhost greets you\r\n250-8BITMIME\r\n250 SIZE 10485760');
    if (verb === 'HELO') return send('250 localhost');
    if (verb === 'MAIL') {
      const m = /^MAIL FROM:\s*<([^>]*)>/i.exec(line);
      if (!m) return send('501 syntax: MAIL FROM:<address>');
      from = m[1];
      recipients = [];
      return send('250 OK');
    }
    if (verb === 'RCPT') {
      const m = /^RCPT TO:\s*<([^>]+)>/i.exec(line);
      if (!m) return send('501 syntax: RCPT TO:<address>');
      if (from === undefined) return send('503 MAIL first');
      recipients.push(m[1]);
      return send('250 OK');
    }
    if (verb === 'DATA') {
      if (recipients.length === 0) return send('503 RCPT first');
      inData = true;
      return send('354 end data with <CR><LF>.<CR><LF>');
    }
    if (verb === 'RSET') {
      from = undefined;
      recipients = [];
      return send('250 OK');
    }
    if (verb === 'NOOP') return send('250 OK');
    if (verb === 'QUIT') {
      send('221 bye');
      return socket.end();
    }
    return send('502 command not implemented');
  };

  socket.on('data', (chunk: string) => {
    buffer += chunk;
    if (buffer.length > MAX_MESSAGE_BYTES) {
      send('552 message too large');
      socket.destroy();
      return;
    }
    for (;;) {
      if (inData) {
        const end = buffer.indexOf('\r\n.\r\n');
        const atStart = buffer.startsWith('.\r\n');
        if (end < 0 && !atStart) return;
        const raw = atStart ? '' : buffer.slice(0, end);
        buffer = atStart ? buffer.slice(3) : buffer.slice(end + 5);
        inData = false;
        // Dot-stuffing: a line starting with '..' was a line starting with '.'.
        const message = parseMessage(raw.replace(/^\.\./gm, '.'));
        const subject = decodeHeader(message.headers.subject ?? '');
        log.record({ sink: 'email', status: statusOfTitle(subject), target: recipients.join(', '), title: subject });
        from = undefined;
        recipients = [];
        send('250 OK: queued');
        continue;
      }
      const eol = buffer.indexOf('\r\n');
      if (eol < 0) return;
      const line = buffer.slice(0, eol);
      buffer = buffer.slice(eol + 2);
      command(line);
    }
  });
}

export async function startSmtpSink(port: number, log: DeliveryLog): Promise<SmtpSink> {
  const server = createServer((socket) => session(socket, log));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    server,
    port: bound,
    smarthost: `127.0.0.1:${bound}`,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
