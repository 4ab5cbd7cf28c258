import http from 'node:http';

export interface HttpResponse {
  status: number;
  body: string;
  /** Wall time of the request, ms. */
  ms: number;
}

/** A keep-alive HTTP client for one LRS credential, speaking xAPI 1.0.3. */
export interface LrsClient {
  request(method: string, path: string, body?: string): Promise<HttpResponse>;
  close(): void;
}

export function lrsClient(port: number, authorization: string, sockets: number): LrsClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  return {
    close: () => agent.destroy(),
    request(method, path, body) {
      const started = process.hrtime.bigint();
      return new Promise((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method,
            path,
            agent,
            headers: {
              Authorization: authorization,
              'X-Experience-API-Version': '1.0.3',
              ...(body
                ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }
                : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                body: Buffer.concat(chunks).toString('utf8'),
                ms: Number(process.hrtime.bigint() - started) / 1e6,
              }),
            );
          },
        );
        req.on('error', reject);
        if (body) req.write(body);
        req.end();
      });
    },
  };
}
