// `slo schema`: the spec's JSON Schema, as committed in slo/slo.schema.json.
import { specJsonSchema } from '../schema';
import { parseCommandArgs, type Command } from './command';

export function schemaText(): string {
  return `${JSON.stringify(specJsonSchema(), null, 2)}\n`;
}

export const schemaCommand: Command = async (argv, io) => {
  parseCommandArgs(argv, {});
  io.out.write(schemaText());
  return 0;
};
