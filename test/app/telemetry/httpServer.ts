// Test helper: listens an express app on a loopback port and closes it afterwards.
import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import http from 'node:http';

export interface Listening {
  url: string;
  close(): Promise<void>;
}

export function listen(app: Express | http.RequestListener): Promise<Listening> {
  const server = http.createServer(app as http.RequestListener);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}
