/**
 * Masks secrets in an offline plan the way the Pulumi CLI shows them: as `[secret]`. Pure; used
 * by tools/preview.ts for out/<stack>.plan.json and for the `--diff` output.
 *
 * A value is secret when the program marked it (`pulumi.secret`, which reaches the engine as the
 * wire form `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value}`),
 * when a provider's SDK did (e.g. `masterPasswordWo` of `aws.rds.Cluster`, which the SDK wraps in
 * `pulumi.secret`), or when the resource lists the property in `additionalSecretOutputs`
 * ("named output properties that should be treated as secrets", Pulumi docs, resource option
 * additionalSecretOutputs). An input of that name is masked too: the provider echoes an input into
 * the output of the same name, so showing the input would show the secret output.
 */

/** What the CLI prints in place of a secret value (and what harness.ts uses for `secure:`). */
export const MASKED = "[secret]";

/** The wire signature of a secret (`specialSigKey` / `specialSecretSig` in @pulumi/pulumi rpc). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** True for a value in the engine's wire form of a secret. */
export function isWireSecret(value: unknown): value is { value: unknown } {
  return (
    value !== null &&
    typeof value === "object" &&
    (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG
  );
}

/** `value` with every wire-form secret, at any depth, replaced by {@link MASKED}. */
export function maskWireSecrets(value: unknown): unknown {
  if (isWireSecret(value)) return MASKED;
  if (Array.isArray(value)) return value.map(maskWireSecrets);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskWireSecrets(v)]),
    );
  }
  return value;
}

/**
 * A resource's inputs as a plan shows them: wire-form secrets masked, and so is every top-level
 * input named in `additionalSecretOutputs`.
 */
export function maskInputs(
  inputs: Readonly<Record<string, unknown>>,
  additionalSecretOutputs: readonly string[] = [],
): Record<string, unknown> {
  const masked = maskWireSecrets(inputs) as Record<string, unknown>;
  for (const key of additionalSecretOutputs) {
    if (masked[key] !== undefined) masked[key] = MASKED;
  }
  return masked;
}

/**
 * Every secret value in `inputs` as plain text (the wire form's `value`, JSON for a structured
 * one, and inputs named in `additionalSecretOutputs`), for tests that prove a plan shows none.
 */
export function secretValuesIn(
  inputs: Readonly<Record<string, unknown>>,
  additionalSecretOutputs: readonly string[] = [],
): string[] {
  const found: string[] = [];
  const text = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
  const walk = (v: unknown): void => {
    if (isWireSecret(v)) {
      found.push(text(v.value));
    } else if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v !== null && typeof v === "object") {
      Object.values(v as Record<string, unknown>).forEach(walk);
    }
  };
  walk(inputs);
  for (const key of additionalSecretOutputs) {
    const v = inputs[key];
    if (v !== undefined) found.push(text(isWireSecret(v) ? v.value : v));
  }
  return found;
}
