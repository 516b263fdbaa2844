import type { Contract } from './contract.ts';

/** The code each agent writes: plain functions, so an LLM call can take their place. */

const zodOf = { string: 'z.string()', number: 'z.number()', boolean: 'z.boolean()', 'string[]': 'z.array(z.string())' } as const;
const sampleOf = { string: "'sample'", number: '42', boolean: 'true', 'string[]': "['a', 'b']" } as const;
const wrongOf = { string: '42', number: "'forty-two'", boolean: "'yes'", 'string[]': "'a,b'" } as const;

export function renderSchema(contract: Contract): string {
  const fields = Object.entries(contract.fields).map(([name, field]) => `  ${name}: ${zodOf[field.type]}${field.optional ? '.optional()' : ''},`);
  return [
    `// ${contract.name}: ${contract.description}`,
    "import { z } from 'zod';",
    '',
    `export const ${contract.name}Schema = z.strictObject({`,
    ...fields,
    '});',
    `export type ${contract.name} = z.infer<typeof ${contract.name}Schema>;`,
    '',
  ].join('\n');
}

export function renderValidator(contract: Contract): string {
  const { name } = contract;
  return [
    `import { ${name}Schema, type ${name} } from './${name}.schema.ts';`,
    '',
    `export type ${name}Validation = { ok: true; value: ${name} } | { ok: false; errors: string[] };`,
    '',
    `export function validate${name}(input: unknown): ${name}Validation {`,
    `  const result = ${name}Schema.safeParse(input);`,
    '  return result.success',
    '    ? { ok: true, value: result.data }',
    "    : { ok: false, errors: result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) };",
    '}',
    '',
  ].join('\n');
}

export function renderTest(contract: Contract): string {
  const { name } = contract;
  const entries = Object.entries(contract.fields);
  const sample = entries.map(([field, { type }]) => `  ${field}: ${sampleOf[type]},`);
  const tests = entries.map(
    ([field, { type }]) =>
      `  it('rejects a ${name} whose ${field} has the wrong type', () => {\n    expect(validate${name}({ ...sample, ${field}: ${wrongOf[type]} }).ok).toBe(false);\n  });`,
  );
  const required = entries.filter(([, field]) => !field.optional).map(([field]) => field);
  return [
    "import { describe, expect, it } from 'vitest';",
    `import { validate${name} } from './${name}.validator.ts';`,
    '',
    'const sample = {',
    ...sample,
    '};',
    '',
    `describe('${name}', () => {`,
    `  it('accepts a valid ${name}', () => {`,
    `    expect(validate${name}(sample)).toEqual({ ok: true, value: sample });`,
    '  });',
    ...tests,
    ...required
      .slice(0, 1)
      .map(
        (field) =>
          `  it('rejects a ${name} without ${field}', () => {\n    const { ${field}: _omitted, ...rest } = sample;\n    expect(validate${name}(rest).ok).toBe(false);\n  });`,
      ),
    '});',
    '',
  ].join('\n');
}
