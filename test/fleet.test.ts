import { strict as assert } from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import {
  PLACEHOLDER_TLS_DIR,
  bootstrapScript,
  selfSignedCertificateScript,
} from "../components/loadBalancing/fleet";

/** The Python program the bootstrap writes, cut out of its heredoc. */
function placeholderApp(script: string): string {
  const match = /cat > \/opt\/placeholder\/app\.py <<'PY'\n([\s\S]*?)\nPY\n/.exec(script);
  assert.ok(match, "the bootstrap writes /opt/placeholder/app.py");
  return match[1];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

function get(port: number, urlPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: urlPath, timeout: 2000 }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
  });
}

describe("Fleet placeholder bootstrap", () => {
  it("runs its app as a systemd unit on the service port", () => {
    const script = bootstrapScript(8080);
    assert.match(script, /^#!\/bin\/bash\nset -euo pipefail\n/);
    assert.match(script, /ExecStart=\/usr\/bin\/python3 \/opt\/placeholder\/app\.py 8080\n/);
    assert.match(script, /systemctl enable --now placeholder-app\.service\n$/);
  });

  it("answers /healthz and /healthz/ready while up, and /healthz/deep only while the database proxy accepts connections (real Python, loopback)", async function () {
    if (spawnSync("python3", ["--version"]).status !== 0) this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "placeholder-"));
    const app = path.join(dir, "app.py");
    fs.writeFileSync(app, placeholderApp(bootstrapScript(8080)));
    // A stand-in for the RDS Proxy read/write endpoint: a local listener the test closes.
    const proxy = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const dbPort = (proxy.address() as net.AddressInfo).port;
    const port = await freePort();
    // systemd passes the environment file (DB_PROXY_ENDPOINT, DB_PORT) as the process's env.
    const child = spawn("python3", [app, String(port)], {
      stdio: "ignore",
      env: { ...process.env, DB_PROXY_ENDPOINT: "127.0.0.1", DB_PORT: String(dbPort) },
    });
    try {
      let ready = false;
      for (let i = 0; i < 250 && !ready; i++) {
        ready = await get(port, "/healthz").then(
          () => true,
          () => new Promise<boolean>((r) => setTimeout(() => r(false), 100)),
        );
      }
      assert.ok(ready, "the placeholder did not start within 25 s");
      for (const p of ["/healthz", "/healthz/ready", "/healthz/deep", "/"]) {
        assert.deepEqual(await get(port, p), { status: 200, body: "ok\n" }, p);
      }
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      // The proxy is gone: checkout cannot write here, browsing still can.
      assert.deepEqual(await get(port, "/healthz/deep?probe=1"), {
        status: 503,
        body: "database proxy unreachable\n",
      });
      for (const p of ["/healthz", "/healthz/ready"]) {
        assert.deepEqual(await get(port, p), { status: 200, body: "ok\n" }, p);
      }
    } finally {
      child.kill();
      proxy.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("answers /healthz/deep with 200 in a service told about no database (the stub contract)", () => {
    // Not another process: the program's branch is visible in its source.
    const app = placeholderApp(bootstrapScript(8080));
    assert.match(
      app,
      /host = os\.environ\.get\("DB_PROXY_ENDPOINT"\)\n\s+if not host:\n\s+return True/,
    );
  });

  it("installs openssl with dnf when the image lacks it, then makes the certificate (set -e)", function () {
    const real = spawnSync("bash", ["-c", "command -v openssl"]).stdout.toString().trim();
    if (real === "") this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "placeholder-dnf-"));
    try {
      const bin = path.join(dir, "bin");
      const creds = path.join(dir, "creds");
      fs.mkdirSync(bin);
      for (const tool of ["install", "hostname"]) {
        const found = spawnSync("bash", ["-c", `command -v ${tool}`])
          .stdout.toString()
          .trim();
        fs.symlinkSync(found, path.join(bin, tool));
      }
      // A stand-in for dnf: records its arguments and "installs" openssl into the PATH.
      const ln = spawnSync("bash", ["-c", "command -v ln"]).stdout.toString().trim();
      fs.writeFileSync(
        path.join(bin, "dnf"),
        `#!/bin/sh\necho "$@" > ${dir}/dnf.args\n${ln} -s ${real} ${bin}/openssl\n`,
        { mode: 0o755 },
      );
      const certScript = selfSignedCertificateScript()
        .map((l) => l.split(PLACEHOLDER_TLS_DIR).join(creds))
        .join("\n");
      const run = spawnSync(
        "/bin/bash",
        ["--norc", "--noprofile", "-euo", "pipefail", "-c", certScript],
        {
          env: { PATH: bin },
        },
      );
      assert.equal(run.status, 0, run.stderr.toString());
      assert.equal(fs.readFileSync(path.join(dir, "dnf.args"), "utf8"), "-y install openssl\n");
      assert.ok(fs.statSync(path.join(creds, "tls.crt")).size > 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("serves HTTPS with a certificate made by its own boot script, to TLS 1.2 clients too (real Python and openssl, loopback)", async function () {
    if (
      spawnSync("python3", ["--version"]).status !== 0 ||
      spawnSync("openssl", ["version"]).status !== 0
    ) {
      this.skip();
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "placeholder-tls-"));
    const creds = path.join(dir, "creds");
    // The exact lines the user data runs, pointed at a scratch directory instead of /etc.
    const certScript = selfSignedCertificateScript()
      .map((l) => l.split(PLACEHOLDER_TLS_DIR).join(creds))
      .join("\n");
    assert.equal(spawnSync("bash", ["-euo", "pipefail", "-c", certScript]).status, 0);
    assert.equal(fs.statSync(path.join(creds, "tls.key")).mode & 0o077, 0, "key is private");
    const script = bootstrapScript(8443, {}, true);
    assert.match(script, /^LoadCredential=tls\.key:\/etc\/securecart\/tls\/tls\.key$/m);
    const app = path.join(dir, "app.py");
    fs.writeFileSync(app, placeholderApp(script));
    const port = await freePort();
    const child = spawn("python3", [app, String(port), "--tls"], {
      stdio: "ignore",
      env: { ...process.env, CREDENTIALS_DIRECTORY: creds },
    });
    // NLB does not validate target certificates, and its HTTPS health checks need TLS 1.2.
    const get = (maxVersion: "TLSv1.2" | "TLSv1.3") =>
      new Promise<number>((resolve, reject) => {
        const req = https.get(
          { host: "127.0.0.1", port, path: "/healthz", rejectUnauthorized: false, maxVersion },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.setTimeout(2000, () => req.destroy(new Error("timed out")));
        req.on("error", reject);
      });
    try {
      let status = 0;
      for (let i = 0; i < 250 && status === 0; i++) {
        status = await get("TLSv1.3").catch(
          () => new Promise<number>((r) => setTimeout(() => r(0), 100)),
        );
      }
      assert.equal(status, 200, "the TLS placeholder did not start within 25 s");
      assert.equal(await get("TLSv1.2"), 200);
      // Plain HTTP to the TLS port gets no 200.
      await assert.rejects(
        new Promise((resolve, reject) => {
          const req = http.get(
            { host: "127.0.0.1", port, path: "/healthz", timeout: 2000 },
            (res) =>
              res.statusCode === 200 ? resolve(res) : reject(new Error(String(res.statusCode))),
          );
          req.on("timeout", () => req.destroy(new Error("timed out")));
          req.on("error", reject);
        }),
      );
    } finally {
      child.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
