/**
 * What each health path means (docs/failover.md, "Health semantics"). The app implements these
 * paths; the stacks choose which one Route 53 checks for each region's records.
 *
 * - `/healthz/deep`: this region can take checkout. The ALB, the app, DynamoDB and the RDS Proxy
 *   read/write endpoint answer, and the region's Aurora cluster is the global database's writer.
 *   A cluster that Aurora demoted to a secondary fails it at once; a writer that is only
 *   unreachable (an in-region failover, "less than 60 s" per Aurora's guide) fails it only after
 *   WRITER_GRACE_SECONDS, so an in-region failover never moves DNS.
 * - `/healthz/ready`: this region can serve browsing. The ALB, the app, DynamoDB and the proxy's
 *   read-only endpoint answer; the writer is not needed.
 *
 * With failover routing, the primary's records check `/healthz/deep`, so DNS leaves it once its
 * writer moves away and never comes back to it while its cluster is a secondary. The secondary's
 * records check `/healthz/ready`, so browsing fails over on DNS alone, before the writer moves.
 *
 * With latency routing every region serves shoppers near it, so a region's records check
 * `/healthz/ready`: what the region can serve on its own. Not `/healthz/deep`: while the primary
 * region is down, every region's deep check fails at once (each secondary forwards its writes to
 * that dead writer), and Route 53 then fails open: "If no record is healthy, all records are
 * healthy" (Route 53 developer guide, "How Amazon Route 53 chooses records when health checking
 * is configured"), so it would keep answering with the dead region for shoppers near it. With
 * the ready path, the dead region leaves DNS and the others keep browsing; checkout writes in
 * every region wait until the Region switch plan moves the writer (docs/topology.md).
 *
 * The service Route 53 checks behind the ALB must be a database client
 * (`securecart:database.clients`), so its role and security groups reach RDS Proxy: a service
 * with no database access can't tell whether a write commits (stacks/config.ts refuses it).
 */

/** Seconds the deep check tolerates an unreachable writer: Aurora's in-region failover bound. */
export const WRITER_GRACE_SECONDS = 60;

/** The meaning of each health path the stacks may check. */
export const HEALTH_PATHS: Readonly<Record<string, { readonly requiresWriter: boolean }>> = {
  "/healthz/deep": { requiresWriter: true },
  "/healthz/ready": { requiresWriter: false },
};

/** Whether `path` passes only in the writer's region; undefined for a path with no defined meaning. */
export function requiresWriter(path: string): boolean | undefined {
  return HEALTH_PATHS[path]?.requiresWriter;
}

/** Which of a stack's two configured paths its Route 53 health checks request. */
export function healthCheckPathFor(
  role: "primary" | "secondary",
  routing: "failover" | "latency",
  paths: { readonly path: string; readonly readPath: string },
): string {
  return routing === "failover" && role === "primary" ? paths.path : paths.readPath;
}
