import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** A field's type in a contract. */
export const FieldTypeSchema = z.enum(['string', 'number', 'boolean', 'string[]']);

/** An entity description: the input of the code-generation pipeline. */
export const ContractSchema = z.strictObject({
  name: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'name must be a PascalCase identifier'),
  description: z.string().default(''),
  fields: z.record(
    z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'field names must be camelCase identifiers'),
    z.strictObject({ type: FieldTypeSchema, optional: z.boolean().default(false) }),
  ),
});
/** @see ContractSchema */
export type Contract = z.infer<typeof ContractSchema>;

/** A contract file that is not valid: names the file and the field. */
export class ContractError extends Error {
  override name = 'ContractError';
}

/** Reads and checks every `*.json` in `dir`; throws ContractError naming the file and field of the first problem. */
export function readContracts(dir: string): Contract[] {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new ContractError(`no contract files (*.json) in ${dir}`);
  return files.map((file) => {
    const path = join(dir, file);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ContractError(`${path}: not valid JSON (${(error as Error).message})`);
    }
    const parsed = ContractSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(the whole contract)';
      throw new ContractError(`${path}: field "${field}": ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data;
  });
}
