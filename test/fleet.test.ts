import { strict as assert } from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { bootstrapScript } from "../components/fleet";

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

  it("answers both the target group's and Route 53's health paths with 200 (real Python, loopback)", async function () {
    if (spawnSync("python3", ["--version"]).status !== 0) this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "placeholder-"));
    const app = path.join(dir, "app.py");
    fs.writeFileSync(app, placeholderApp(bootstrapScript(8080)));
    const port = await freePort();
    const child = spawn("python3", [app, String(port)], { stdio: "ignore" });
    try {
      let ready = false;
      for (let i = 0; i < 50 && !ready; i++) {
        ready = await get(port, "/healthz").then(
          () => true,
          () => new Promise<boolean>((r) => setTimeout(() => r(false), 100)),
        );
      }
      assert.ok(ready, "the placeholder did not start within 5 s");
      for (const p of ["/healthz", "/healthz/deep", "/"]) {
        assert.deepEqual(await get(port, p), { status: 200, body: "ok\n" }, p);
      }
    } finally {
      child.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
