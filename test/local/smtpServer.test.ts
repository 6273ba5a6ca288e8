// The local SMTP sink speaks enough SMTP for a real client: a raw socket conversation, dot-stuffing, encoded subjects.
import { connect, type Socket } from 'node:net';
import { DeliveryLog } from '../../infra/local/sinks/deliveries';
import { decodeHeader, parseMessage, startSmtpSink, type SmtpSink } from '../../infra/local/sinks/smtpServer';

let sink: SmtpSink;
const log = new DeliveryLog();

beforeAll(async () => {
  sink = await startSmtpSink(0, log);
});
afterAll(() => sink.close());

/** Sends each line and collects the server's reply to it. */
async function converse(lines: string[]): Promise<string[]> {
  const socket: Socket = connect(sink.port, '127.0.0.1');
  socket.setEncoding('utf8');
  let buffer = '';
  const replies: string[] = [];
  const next = () => new Promise<string>((resolve) => {
    const check = () => {
      // A reply ends with a line whose code is followed by a space.
      const m = /(^|\r\n)(\d{3}) [^\r\n]*\r\n/.exec(buffer);
      if (m) {
        const end = m.index + m[0].length;
        const reply = buffer.slice(0, end);
        buffer = buffer.slice(end);
        socket.off('data', onData);
        resolve(reply.trim());
      }
    };
    const onData = (c: string) => { buffer += c; check(); };
    socket.on('data', onData);
    check();
  });
  replies.push(await next());
  for (const line of lines) {
    socket.write(`${line}\r\n`);
    replies.push(await next());
  }
  socket.end();
  return replies;
}

test('a full SMTP conversation is accepted and the message recorded with its subject and recipients', async () => {
  const replies = await converse([
    'EHLO alertmanager',
    'MAIL FROM:<alertmanager@localhost>',
    'RCPT TO:<oncall@digitaltwin.example.com>',
    'DATA',
    'Subject: [FIRING:1] ErrorBudgetBurn digital-twin-mcp availability\r\nTo: oncall@digitaltwin.example.com\r\n\r\nbody line\r\n..starts with a dot\r\n.',
    'QUIT',
  ]);
  expect(replies.map((r) => r.slice(0, 3))).toEqual(['220', '250', '250', '250', '354', '250', '221']);
  const last = log.all().at(-1)!;
  expect(last).toMatchObject({ sink: 'email', status: 'firing', target: 'oncall@digitaltwin.example.com', title: '[FIRING:1] ErrorBudgetBurn digital-twin-mcp availability' });
});

test('commands out of order get SMTP errors, not a dropped connection', async () => {
  const replies = await converse(['DATA', 'RCPT TO:<a@b.c>', 'MAIL FROM:bad', 'XYZZY', 'NOOP']);
  expect(replies.map((r) => r.slice(0, 3))).toEqual(['220', '503', '503', '501', '502', '250']);
});

test('resolved subjects are recorded as resolved, and RFC 2047 subjects are decoded', () => {
  expect(decodeHeader('=?UTF-8?q?=5BRESOLVED=5D_Caf=C3=A9?=')).toBe('[RESOLVED] Café');
  expect(decodeHeader('=?UTF-8?b?W1JFU09MVkVEXQ==?=')).toBe('[RESOLVED]');
  const m = parseMessage('Subject: [RESOLVED] x\r\n folded\r\nX: y\r\n\r\nbody');
  expect(m.headers.subject).toBe('[RESOLVED] x folded');
  expect(m.body).toBe('body');
});
