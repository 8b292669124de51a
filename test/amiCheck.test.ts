import { strict as assert } from "assert";
import { amiCommand, compareAmis, formatReport, parseParameterOutputs } from "../tools/amiCheck";

const PARAM = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

/** What `aws ssm get-parameter --output json` prints for one region. */
function cliOutput(region: string, value: string, name = PARAM): string {
  return JSON.stringify(
    {
      Parameter: {
        Name: name,
        Type: "String",
        Value: value,
        Version: 101,
        LastModifiedDate: "2026-11-20T18:12:03.123000+00:00",
        ARN: `arn:aws:ssm:${region}::parameter${name}`,
        DataType: "aws:ec2:image",
      },
    },
    null,
    4,
  );
}

describe("ami:check (pure parts)", () => {
  it("prints the AWS CLI command per region", () => {
    assert.equal(
      amiCommand(PARAM, "us-west-2"),
      `aws ssm get-parameter --region us-west-2 --name ${PARAM} --output json`,
    );
  });

  it("reads back-to-back get-parameter documents, taking each region from its ARN", () => {
    const text =
      cliOutput("us-west-2", "ami-0bbbbbbbbbbbbbbbb") +
      "\n" +
      cliOutput("us-east-1", "ami-0aaaaaaaaaaaaaaaa");
    assert.deepEqual(parseParameterOutputs(text, PARAM), {
      "us-west-2": "ami-0bbbbbbbbbbbbbbbb",
      "us-east-1": "ami-0aaaaaaaaaaaaaaaa",
    });
  });

  it("refuses another parameter's output rather than compare the wrong image", () => {
    assert.throws(
      () =>
        parseParameterOutputs(
          cliOutput("us-east-1", "ami-0aaaaaaaaaaaaaaaa", "/aws/service/x"),
          PARAM,
        ),
      /expected `aws ssm get-parameter --region <region> --name \/aws\/service\/ami-amazon-linux-latest/,
    );
  });

  it("shows which regions to bump and the config block to paste", () => {
    const rows = compareAmis(
      { "us-east-1": "ami-0aaaaaaaaaaaaaaaa", "us-west-2": "ami-0bbbbbbbbbbbbbbbb" },
      { "us-east-1": "ami-0aaaaaaaaaaaaaaaa", "us-west-2": "ami-0ccccccccccccccc0" },
    );
    assert.equal(
      formatReport(PARAM, rows),
      [
        `Pinned securecart:amis against ${PARAM}:`,
        "  us-east-1: up to date",
        "  us-west-2: BUMP ami-0bbbbbbbbbbbbbbbb -> ami-0ccccccccccccccc0",
        "",
        "To roll the fleets onto it, change Pulumi.yaml in a reviewed commit:",
        "  securecart:amis:",
        "    default:",
        "      us-east-1: ami-0aaaaaaaaaaaaaaaa",
        "      us-west-2: ami-0ccccccccccccccc0",
        "then `pulumi preview`: every launch template changes, and each fleet's instance refresh",
        "replaces its instances with pauses at its checkpoints (docs/security.md).",
      ].join("\n"),
    );
  });

  it("says nothing to paste when every region is current", () => {
    const rows = compareAmis(
      { "us-east-1": "ami-0aaaaaaaaaaaaaaaa" },
      { "us-east-1": "ami-0aaaaaaaaaaaaaaaa" },
    );
    assert.equal(
      formatReport(PARAM, rows),
      `Pinned securecart:amis against ${PARAM}:\n  us-east-1: up to date`,
    );
  });
});
