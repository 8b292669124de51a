/**
 * A small evaluator of IAM and resource policy documents, enough to prove wiring offline: does
 * this document let this principal do this action on this exact ARN? It follows IAM's rules for
 * what it understands (an explicit Deny wins; otherwise some Allow must match; `*` and `?`
 * wildcards in actions and resources; StringEquals, StringLike, ArnLike/ArnEquals and Bool
 * conditions) and refuses anything else by not matching, so an unknown construct reads as
 * "not allowed" rather than as a false pass.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

/** One request to evaluate. */
export interface PolicyRequest {
  /** e.g. `s3:PutObject`. Action names are case-insensitive in IAM. */
  readonly action: string;
  /** The exact ARN acted on. */
  readonly resource: string;
  /** The calling service principal, for resource policies; omit for identity policies. */
  readonly servicePrincipal?: string;
  /**
   * The calling AWS account, for resource policies naming `{"AWS": …}` principals (12 digits);
   * `arn:aws:iam::<account>:root` and the bare account ID both match it, as in IAM.
   */
  readonly awsAccount?: string;
  /** Condition keys of the request, e.g. `aws:SecureTransport: "true"`. */
  readonly context?: Readonly<Record<string, string>>;
}

type Statement = {
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: string | string[];
  NotResource?: unknown;
  Principal?: string | { Service?: string | string[]; AWS?: string | string[] };
  Condition?: Record<string, Record<string, string | string[]>>;
};

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** IAM's wildcard match: `*` is any run of characters, `?` any one character. */
export function globMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  const re = new RegExp(
    `^${pattern
      .split("")
      .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\/]/g, "\\$&")))
      .join("")}$`,
    caseInsensitive ? "i" : "",
  );
  return re.test(value);
}

function principalMatches(st: Statement, req: PolicyRequest): boolean {
  if (st.Principal === undefined) {
    return req.servicePrincipal === undefined && req.awsAccount === undefined;
  }
  if (st.Principal === "*") return true;
  if (typeof st.Principal === "string") return false;
  if (list(st.Principal.AWS).includes("*")) return true;
  const account = req.awsAccount;
  if (
    account !== undefined &&
    list(st.Principal.AWS).some((p) => p === account || p === `arn:aws:iam::${account}:root`)
  ) {
    return true;
  }
  return (
    req.servicePrincipal !== undefined && list(st.Principal.Service).includes(req.servicePrincipal)
  );
}

function conditionsHold(st: Statement, req: PolicyRequest): boolean {
  for (const [op, keys] of Object.entries(st.Condition ?? {})) {
    for (const [key, expected] of Object.entries(keys)) {
      const actual = req.context?.[key];
      if (actual === undefined) return false;
      const values = list(expected);
      const ok =
        op === "StringEquals" || op === "ArnEquals"
          ? values.includes(actual)
          : op === "StringLike" || op === "ArnLike"
            ? values.some((v) => globMatch(v, actual))
            : op === "Bool"
              ? values.map((v) => v.toLowerCase()).includes(actual.toLowerCase())
              : false;
      if (!ok) return false;
    }
  }
  return true;
}

function statementMatches(st: Statement, req: PolicyRequest): boolean {
  if (st.NotAction !== undefined || st.NotResource !== undefined) return false;
  return (
    principalMatches(st, req) &&
    list(st.Action).some((a) => globMatch(a, req.action, true)) &&
    list(st.Resource).some((r) => globMatch(r, req.resource)) &&
    conditionsHold(st, req)
  );
}

/** The statements of a policy document given as JSON text or as an object. */
function statementsOf(doc: unknown): Statement[] {
  const parsed = typeof doc === "string" ? JSON.parse(doc) : doc;
  const st = (parsed as { Statement?: Statement | Statement[] })?.Statement;
  return st === undefined ? [] : Array.isArray(st) ? st : [st];
}

/**
 * Whether the documents together allow the request: some Allow statement matches and no Deny
 * does. Pass every policy that applies (identity policies of a role, or one bucket policy).
 */
export function policiesAllow(docs: readonly unknown[], req: PolicyRequest): boolean {
  const statements = docs.flatMap(statementsOf);
  const matching = statements.filter((s) => statementMatches(s, req));
  return matching.some((s) => s.Effect === "Allow") && !matching.some((s) => s.Effect === "Deny");
}
